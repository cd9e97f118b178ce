import type { INodeProperties } from 'n8n-workflow';

import * as send from './send.operation';

export { send };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['notify'] } },
		options: [
			{
				name: 'Send',
				value: 'send',
				description: 'Send a notification through a notify action',
				action: 'Send a notification',
			},
		],
		default: 'send',
	},
	...send.description,
];
