import type { INodeProperties } from 'n8n-workflow';

import * as callOperation from './call.operation';

export { callOperation as call };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['action'] } },
		options: [
			{
				name: 'Call',
				value: 'call',
				description: 'Call an action (service) such as light.turn_on',
				action: 'Call an action',
			},
		],
		default: 'call',
	},
	...callOperation.description,
];
