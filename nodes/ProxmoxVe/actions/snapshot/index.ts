import type { INodeProperties } from 'n8n-workflow';

import { nodeField, snapshotField, vmField, waitFields } from '../common';
import * as create from './create.operation';
import * as deleteSnapshot from './delete.operation';
import * as list from './list.operation';
import * as rollback from './rollback.operation';

export { create, deleteSnapshot, list, rollback };

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
				description: 'Take a snapshot of a VM',
				action: 'Create a snapshot',
			},
			{ name: 'Delete', value: 'delete', description: 'Remove a snapshot', action: 'Delete a snapshot' },
			{ name: 'List', value: 'list', description: 'Snapshots of a VM', action: 'List snapshots' },
			{
				name: 'Rollback',
				value: 'rollback',
				description: 'Return the VM to a snapshot',
				action: 'Roll back to a snapshot',
			},
		],
		default: 'list',
	},
	{
		displayName: 'Guest Type',
		name: 'guestType',
		type: 'options',
		options: [
			{ name: 'VM (QEMU)', value: 'qemu' },
			{ name: 'Container (LXC)', value: 'lxc' },
		],
		default: 'qemu',
		displayOptions: { show: { resource: ['snapshot'] } },
	},
	nodeField({ resource: ['snapshot'] }),
	vmField({ resource: ['snapshot'] }, { search: 'searchGuests', displayName: 'VM or Container' }),
	snapshotField({ resource: ['snapshot'], operation: ['rollback', 'delete'] }),
	...create.description,
	...rollback.description,
	...waitFields({ resource: ['snapshot'], operation: ['create', 'rollback', 'delete'] }),
];
