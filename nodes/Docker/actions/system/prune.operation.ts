import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dockerClient } from '../../transport';
import { asData, show } from '../common';

const showFor = show('system', 'prune');

export const description: INodeProperties[] = [
	{
		displayName: 'Remove All Unused Images',
		name: 'all',
		type: 'boolean',
		default: false,
		description: 'Whether to remove every image no container uses, not only untagged ones',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Remove Unused Volumes',
		name: 'volumes',
		type: 'boolean',
		default: false,
		description: 'Whether to remove volumes no container uses (their data is lost)',
		displayOptions: { show: showFor },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return asData(
		await (
			await dockerClient(this, itemIndex)
		).systemPrune({
			all: this.getNodeParameter('all', itemIndex, false) as boolean,
			volumes: this.getNodeParameter('volumes', itemIndex, false) as boolean,
		}),
	);
}
