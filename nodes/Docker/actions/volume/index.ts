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
		displayOptions: { show: { resource: ['volume'] } },
		options: [
			{ name: 'Create', value: 'create', description: 'Create a volume', action: 'Create a volume' },
			{ name: 'Get Many', value: 'list', description: 'List volumes', action: 'List volumes' },
			{
				name: 'Prune',
				value: 'prune',
				description: 'Remove volumes no container uses',
				action: 'Prune volumes',
			},
			{ name: 'Remove', value: 'remove', description: 'Remove a volume', action: 'Remove a volume' },
		],
		default: 'list',
	},
	...list.description,
	...create.description,
	...remove.description,
	...prune.description,
];
