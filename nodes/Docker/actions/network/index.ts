import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as list from './list.operation';
import * as prune from './prune.operation';
import * as remove from './remove.operation';

export { create, list, prune, remove };

export const mutating = ['create', 'remove', 'prune'];

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['network'] } },
		options: [
			{ name: 'Create', value: 'create', description: 'Create a network', action: 'Create a network' },
			{ name: 'Get Many', value: 'list', description: 'List networks', action: 'List networks' },
			{
				name: 'Prune',
				value: 'prune',
				description: 'Remove networks no container uses',
				action: 'Prune networks',
			},
			{ name: 'Remove', value: 'remove', description: 'Remove a network', action: 'Remove a network' },
		],
		default: 'list',
	},
	...list.description,
	...create.description,
	...remove.description,
	...prune.description,
];
