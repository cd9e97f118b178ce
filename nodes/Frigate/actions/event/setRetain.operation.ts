import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { frigateCall } from '../../transport';
import { eventIdField, eventIdOf } from '../common';

const showFor = { resource: ['event'], operation: ['setRetain'] };

export const description: INodeProperties[] = [
	eventIdField(showFor),
	{
		displayName: 'Retain',
		name: 'retain',
		type: 'boolean',
		default: true,
		description:
			'Whether Frigate keeps the event (the star / favorite in its UI) beyond the retention period; off removes the star',
		displayOptions: { show: showFor },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = eventIdOf.call(this, itemIndex);
	const retain = this.getNodeParameter('retain', itemIndex, true) as boolean;
	const result = await frigateCall(
		this,
		itemIndex,
		async (client, signal) => await client.setRetain(id, retain, signal),
	);
	return { id, retain, message: result.message };
}
