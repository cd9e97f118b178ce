import type { INodeProperties } from 'n8n-workflow';

import { taskOptionsField } from '../common';
import * as getNextId from './getNextId.operation';
import * as getResources from './getResources.operation';
import * as getStatus from './getStatus.operation';
import * as getTaskLog from './getTaskLog.operation';
import * as getTaskStatus from './getTaskStatus.operation';
import * as listTasks from './listTasks.operation';
import * as waitForTask from './waitForTask.operation';

export { getNextId, getResources, getStatus, getTaskLog, getTaskStatus, listTasks, waitForTask };

const upidField = (operation: string[]): INodeProperties => ({
	displayName: 'Task ID (UPID)',
	name: 'upid',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'UPID:pve1:0000A1B2:0012C3D4:6740A1B2:qmclone:9000:root@pam!n8n:',
	description: 'The "upid" an operation returned',
	displayOptions: { show: { resource: ['cluster'], operation } },
});

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['cluster'] } },
		options: [
			{
				name: 'Get Next Free VMID',
				value: 'getNextId',
				description: 'Ask the cluster for the next unused VM ID',
				action: 'Get the next free VM ID',
			},
			{
				name: 'Get Resources',
				value: 'getResources',
				description: 'List VMs, nodes and storages of the cluster',
				action: 'Get cluster resources',
			},
			{
				name: 'Get Status',
				value: 'getStatus',
				description: 'Cluster name, quorum and members',
				action: 'Get cluster status',
			},
			{
				name: 'Get Task Log',
				value: 'getTaskLog',
				description: 'Read the log of a task',
				action: 'Get a task log',
			},
			{
				name: 'Get Task Status',
				value: 'getTaskStatus',
				description: 'Whether a task still runs and how it ended',
				action: 'Get a task status',
			},
			{
				name: 'List Tasks',
				value: 'listTasks',
				description: 'Recent tasks of the whole cluster',
				action: 'List recent tasks',
			},
			{
				name: 'Wait for Task',
				value: 'waitForTask',
				description: 'Wait until a task started earlier has finished',
				action: 'Wait for a task',
			},
		],
		default: 'getNextId',
	},
	...getResources.description,
	upidField(['getTaskStatus', 'getTaskLog', 'waitForTask']),
	...getTaskLog.description,
	taskOptionsField({ resource: ['cluster'], operation: ['waitForTask'] }),
];
