import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { withClient } from '../../transport';
import { getLocatorString, getNodeName, storageContentOptions, storageField } from '../common';

const show = { resource: ['node'], operation: ['listStorageContent'] };

export const description: INodeProperties[] = [
	storageField(show),
	{
		displayName: 'Content',
		name: 'content',
		type: 'options',
		options: storageContentOptions,
		default: '',
		displayOptions: { show },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const node = getNodeName(this, itemIndex);
	const storage = getLocatorString(this, itemIndex, 'storage');
	const content = this.getNodeParameter('content', itemIndex, '') as string;
	return await withClient(
		this,
		itemIndex,
		async (client) =>
			(await client.storageContent(node, storage, { content: content || undefined })) as IDataObject[],
	);
}
