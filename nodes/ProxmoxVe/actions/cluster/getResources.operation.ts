import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { withClient } from '../../transport';

export const description: INodeProperties[] = [
	{
		displayName: 'Type',
		name: 'resourceType',
		type: 'options',
		options: [
			{ name: 'All', value: '' },
			{ name: 'Node', value: 'node' },
			{ name: 'Storage', value: 'storage' },
			{ name: 'VM / Container', value: 'vm' },
		],
		default: 'vm',
		displayOptions: { show: { resource: ['cluster'], operation: ['getResources'] } },
	},
	{
		displayName: 'Templates',
		name: 'templates',
		type: 'options',
		options: [
			{ name: 'Include', value: 'include' },
			{ name: 'Exclude', value: 'exclude' },
			{ name: 'Only Templates', value: 'only' },
		],
		default: 'include',
		displayOptions: { show: { resource: ['cluster'], operation: ['getResources'], resourceType: ['vm'] } },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const type = this.getNodeParameter('resourceType', itemIndex, '') as '' | 'vm' | 'storage' | 'node';
	const templates =
		type === 'vm' ? (this.getNodeParameter('templates', itemIndex, 'include') as string) : 'include';
	return await withClient(this, itemIndex, async (client) => {
		const resources = await client.clusterResources(type || undefined);
		return resources.filter((entry) =>
			templates === 'include' ? true : templates === 'only' ? entry.template === 1 : entry.template !== 1,
		) as IDataObject[];
	});
}
