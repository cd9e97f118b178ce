import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { frigateCall } from '../../transport';
import { eventIdField, eventIdOf } from '../common';

export const description: INodeProperties[] = [eventIdField({ resource: ['event'], operation: ['get'] })];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = eventIdOf.call(this, itemIndex);
	return (await frigateCall(
		this,
		itemIndex,
		async (client, signal) => await client.getEvent(id, signal),
	)) as IDataObject;
}
