import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { withClient } from '../../transport';

export const description: INodeProperties[] = [
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { resource: ['cluster'], operation: ['getTaskLog'] } },
	},
	{
		displayName: 'Start at Line',
		name: 'start',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Skip this many lines (0 reads from the beginning)',
		displayOptions: { show: { resource: ['cluster'], operation: ['getTaskLog'] } },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const upid = this.getNodeParameter('upid', itemIndex) as string;
	const limit = this.getNodeParameter('limit', itemIndex, 50);
	const start = this.getNodeParameter('start', itemIndex, 0) as number;
	return await withClient(this, itemIndex, async (client) => {
		const lines = await client.taskLog(upid, { start, limit });
		return { upid, lines: lines.map((line) => line.t), text: lines.map((line) => line.t).join('\n') };
	});
}
