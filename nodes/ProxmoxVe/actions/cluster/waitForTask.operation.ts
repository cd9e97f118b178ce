import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { maybeWait, withClient } from '../../transport';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const upid = (this.getNodeParameter('upid', itemIndex) as string).trim();
	return await withClient(this, itemIndex, async (client) => await maybeWait(this, itemIndex, client, upid));
}
