import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { withClient } from '../../transport';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await withClient(this, itemIndex, async (client) => (await client.nodes()) as IDataObject[]);
}
