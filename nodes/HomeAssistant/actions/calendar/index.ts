import type { INodeProperties } from 'n8n-workflow';

import * as createEvent from './createEvent.operation';
import * as listEvents from './listEvents.operation';

export { createEvent, listEvents };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['calendar'] } },
		options: [
			{
				name: 'Create Event',
				value: 'createEvent',
				description: 'Add an event to a calendar',
				action: 'Create a calendar event',
			},
			{
				name: 'List Events',
				value: 'listEvents',
				description: 'List the events of a calendar in a period',
				action: 'List calendar events',
			},
		],
		default: 'listEvents',
	},
	...createEvent.description,
	...listEvents.description,
];
