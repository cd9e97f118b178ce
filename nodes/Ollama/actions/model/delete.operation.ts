import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ollamaClient, toNodeError } from '../../transport';
import { modelLocator, readModel } from '../common';

export const description: INodeProperties[] = [modelLocator({ resource: ['model'], operation: ['delete'] })];

/** DELETE /api/delete. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const model = readModel.call(this, itemIndex);
	const client = await ollamaClient.call(this);
	try {
		await client.delete(model);
		return { model, deleted: true };
	} catch (error) {
		throw toNodeError(this.getNode(), error, itemIndex, client.baseUrl);
	}
}
