import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { frigateCall } from '../../transport';
import { eventIdField, eventIdOf, unixSeconds } from '../common';

const showFor = { resource: ['event'], operation: ['end'] };

export const description: INodeProperties[] = [
	eventIdField(showFor),
	{
		displayName: 'End Time',
		name: 'endTime',
		type: 'dateTime',
		default: '',
		description: 'When the event ended; empty means now',
		displayOptions: { show: showFor },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = eventIdOf.call(this, itemIndex);
	const endTime = unixSeconds.call(
		this,
		this.getNodeParameter('endTime', itemIndex, ''),
		'End Time',
		itemIndex,
	);
	const result = await frigateCall(
		this,
		itemIndex,
		async (client, signal) => await client.endEvent(id, endTime, signal),
	);
	return { id, ended: true, message: result.message };
}
