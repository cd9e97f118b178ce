import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';

export { get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['history'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get the state history of entities over a period',
				action: 'Get state history',
			},
		],
		default: 'get',
	},
	...get.description,
];
