import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { frigateCall } from '../../transport';
import { eventIdField, eventIdOf } from '../common';

export const description: INodeProperties[] = [
	eventIdField({ resource: ['event'], operation: ['clearSubLabel'] }),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = eventIdOf.call(this, itemIndex);
	const result = await frigateCall(
		this,
		itemIndex,
		async (client, signal) => await client.clearSubLabel(id, signal),
	);
	return { id, subLabel: null, message: result.message };
}
