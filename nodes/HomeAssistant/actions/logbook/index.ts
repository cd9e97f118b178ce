import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';

export { get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['logbook'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get logbook entries of a period',
				action: 'Get logbook entries',
			},
		],
		default: 'get',
	},
	...get.description,
];
