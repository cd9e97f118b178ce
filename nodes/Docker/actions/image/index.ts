import type { INodeProperties } from 'n8n-workflow';

import * as inspect from './inspect.operation';
import * as list from './list.operation';
import * as prune from './prune.operation';
import * as pull from './pull.operation';
import * as remove from './remove.operation';

export { inspect, list, prune, pull, remove };

export const mutating = ['pull', 'remove', 'prune'];

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['image'] } },
		options: [
			{ name: 'Get', value: 'inspect', description: 'Inspect an image', action: 'Inspect an image' },
			{ name: 'Get Many', value: 'list', description: 'List images', action: 'List images' },
			{ name: 'Prune', value: 'prune', description: 'Remove unused images', action: 'Prune images' },
			{
				name: 'Pull',
				value: 'pull',
				description: 'Pull an image from its registry, with progress',
				action: 'Pull an image',
			},
			{ name: 'Remove', value: 'remove', description: 'Remove an image', action: 'Remove an image' },
		],
		default: 'list',
	},
	...list.description,
	...inspect.description,
	...pull.description,
	...remove.description,
	...prune.description,
];
