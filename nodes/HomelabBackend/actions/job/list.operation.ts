import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { backendRequest } from '../../transport/api';

const showFor = { resource: ['job'], operation: ['list'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Any', value: '' },
			{ name: 'Cancelled', value: 'cancelled' },
			{ name: 'Failed', value: 'failed' },
			{ name: 'Queued', value: 'queued' },
			{ name: 'Running', value: 'running' },
			{ name: 'Succeeded', value: 'succeeded' },
		],
		default: '',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 500 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: showFor },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const status = this.getNodeParameter('status', itemIndex, '') as string;
	const limit = this.getNodeParameter('limit', itemIndex, 50);
	const query = new URLSearchParams({ limit: String(limit), ...(status ? { status } : {}) });
	const answer = await backendRequest<{ jobs: IDataObject[] }>(
		this,
		'GET',
		`/v1/jobs?${query.toString()}`,
		undefined,
		itemIndex,
	);
	return answer.jobs;
}
