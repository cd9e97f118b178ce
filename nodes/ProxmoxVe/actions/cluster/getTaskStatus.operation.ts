import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { withClient } from '../../transport';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const upid = this.getNodeParameter('upid', itemIndex) as string;
	return await withClient(this, itemIndex, async (client) => (await client.taskStatus(upid)) as IDataObject);
}
