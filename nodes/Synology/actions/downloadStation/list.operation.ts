import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { summarizeDownloadTask, type SynologyClient } from '../../../../clients/synology';
import { returnAllFields } from '../common';

const show = { resource: ['downloadStation'], operation: ['list'] };

export const description: INodeProperties[] = [
	...returnAllFields(show),
	{
		displayName: 'Status',
		name: 'statusFilter',
		type: 'multiOptions',
		default: [],
		description: 'Only tasks in these states; none selected returns all',
		displayOptions: { show },
		options: [
			{ name: 'Downloading', value: 'downloading' },
			{ name: 'Error', value: 'error' },
			{ name: 'Finished', value: 'finished' },
			{ name: 'Paused', value: 'paused' },
			{ name: 'Seeding', value: 'seeding' },
			{ name: 'Waiting', value: 'waiting' },
		],
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	dsm: SynologyClient,
): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex);
	const limit = returnAll ? undefined : this.getNodeParameter('limit', itemIndex);
	const statuses = this.getNodeParameter('statusFilter', itemIndex, []) as string[];
	const { tasks } = await dsm.listDownloads();
	const matching = tasks
		.filter((task) => statuses.length === 0 || statuses.includes(task.status))
		.map(summarizeDownloadTask);
	return limit === undefined ? matching : matching.slice(0, limit);
}
