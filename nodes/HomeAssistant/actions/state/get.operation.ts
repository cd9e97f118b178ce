import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { call, entityParameter, restClient } from '../../transport';
import { entityLocator } from '../common';

const showFor = { resource: ['state'], operation: ['get'] };

export const description: INodeProperties[] = [entityLocator(showFor)];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const entityId = entityParameter(this, 'entityId', itemIndex);
	const rest = await restClient(this);
	const state = await call(
		this,
		async () => await rest.getState(entityId, this.getExecutionCancelSignal()),
		itemIndex,
	);
	return state as unknown as IDataObject;
}
