import type { INodeProperties } from 'n8n-workflow';

import * as fire from './fire.operation';

export { fire };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['event'] } },
		options: [
			{ name: 'Fire', value: 'fire', description: 'Fire an event on the event bus', action: 'Fire an event' },
		],
		default: 'fire',
	},
	...fire.description,
];
