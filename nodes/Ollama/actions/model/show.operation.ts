import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ollamaClient, toNodeError } from '../../transport';
import { modelLocator, readModel } from '../common';

export const description: INodeProperties[] = [modelLocator({ resource: ['model'], operation: ['show'] })];

/** POST /api/show: details, parameters, template and capabilities of one model. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const model = readModel.call(this, itemIndex);
	const client = await ollamaClient.call(this);
	try {
		return { model, ...((await client.show(model)) as unknown as IDataObject) };
	} catch (error) {
		throw toNodeError(this.getNode(), error, itemIndex, client.baseUrl);
	}
}
