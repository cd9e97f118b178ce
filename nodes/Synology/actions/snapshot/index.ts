import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as list from './list.operation';

export { create, list };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['snapshot'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Take a snapshot of a shared folder',
				action: 'Create a share snapshot',
			},
			{
				name: 'Get Many',
				value: 'list',
				description: 'List the snapshots of a shared folder',
				action: 'Get many share snapshots',
			},
		],
		default: 'list',
	},
	...list.description,
	...create.description,
];
