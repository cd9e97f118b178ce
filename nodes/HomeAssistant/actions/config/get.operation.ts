import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { call, restClient } from '../../transport';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const rest = await restClient(this);
	return (await call(
		this,
		async () => await rest.getConfig(this.getExecutionCancelSignal()),
		itemIndex,
	)) as IDataObject;
}
