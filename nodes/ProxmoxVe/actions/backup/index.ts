import type { INodeProperties } from 'n8n-workflow';

import { nodeField, storageField, waitFields } from '../common';
import * as list from './list.operation';
import * as restore from './restore.operation';
import * as run from './run.operation';

export { list, restore, run };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['backup'] } },
		options: [
			{
				name: 'List',
				value: 'list',
				description: 'Backups on a storage, newest first',
				action: 'List backups',
			},
			{
				name: 'Restore',
				value: 'restore',
				description: 'Restore a VM or container from a backup (vzdump archive)',
				action: 'Restore a backup',
			},
			{
				name: 'Run',
				value: 'run',
				description: 'Back up VMs and containers now (vzdump)',
				action: 'Run a backup',
			},
		],
		default: 'run',
	},
	nodeField({ resource: ['backup'] }),
	storageField(
		{ resource: ['backup'], operation: ['run', 'list'] },
		'Backup storage (its content types must include backups)',
	),
	...run.description,
	...list.description,
	...restore.description,
	...waitFields({ resource: ['backup'], operation: ['run', 'restore'] }),
];
