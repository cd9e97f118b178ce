import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { withClient } from '../../transport';
import { getNodeName, storageContentOptions } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'Content',
		name: 'content',
		type: 'options',
		options: storageContentOptions,
		default: '',
		description: 'Only storages that can hold this kind of content',
		displayOptions: { show: { resource: ['node'], operation: ['listStorage'] } },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const node = getNodeName(this, itemIndex);
	const content = this.getNodeParameter('content', itemIndex, '') as string;
	return await withClient(
		this,
		itemIndex,
		async (client) => (await client.storages(node, { content: content || undefined })) as IDataObject[],
	);
}
