import type { INodeProperties } from 'n8n-workflow';

import * as check from './check.operation';
import * as get from './get.operation';

export { check, get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['config'] } },
		options: [
			{
				name: 'Check',
				value: 'check',
				description: 'Check configuration.yaml for errors (before a restart)',
				action: 'Check the configuration',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get the core configuration',
				action: 'Get the configuration',
			},
		],
		default: 'get',
	},
	...check.description,
	...get.description,
];
