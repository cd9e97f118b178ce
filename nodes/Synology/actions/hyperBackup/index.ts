import type { INodeProperties } from 'n8n-workflow';

import * as list from './list.operation';
import * as start from './start.operation';
import * as status from './status.operation';

export { list, start, status };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['hyperBackup'] } },
		options: [
			{
				name: 'Get Many',
				value: 'list',
				description: 'List the Hyper Backup tasks',
				action: 'Get many backup tasks',
			},
			{
				name: 'Get Status',
				value: 'status',
				description: 'Whether a task runs and how its last backup ended',
				action: 'Get the status of a backup task',
			},
			{ name: 'Start', value: 'start', description: 'Start a backup now', action: 'Start a backup' },
		],
		default: 'list',
	},
	...status.description,
	...start.description,
];
