import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ollamaClient, toNodeError } from '../../transport';

export const description: INodeProperties[] = [];

/** GET /api/tags: one output item per local model. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const client = await ollamaClient.call(this);
	try {
		const { models } = await client.list();
		return models.map((model) => ({ ...(model as unknown as IDataObject) }));
	} catch (error) {
		throw toNodeError(this.getNode(), error, itemIndex, client.baseUrl);
	}
}
