import type { INodeProperties } from 'n8n-workflow';

import * as expose from './expose.operation';
import * as unexpose from './unexpose.operation';

export { expose, unexpose };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['service'] } },
		options: [
			{
				name: 'Expose',
				value: 'expose',
				description:
					'DNS record + route + certificate as one step, verified from the client side; rolled back when any part fails',
				action: 'Expose a service over HTTPS',
			},
			{
				name: 'Unexpose',
				value: 'unexpose',
				description: 'Remove the route and the DNS records of a service',
				action: 'Unexpose a service',
			},
		],
		default: 'expose',
	},
	...expose.description,
	...unexpose.description,
];
