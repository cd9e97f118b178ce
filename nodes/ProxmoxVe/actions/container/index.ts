import type { INodeProperties } from 'n8n-workflow';

import { nodeField, vmField, waitFields } from '../common';
import * as clone from './clone.operation';
import * as convertToTemplate from './convertToTemplate.operation';
import * as create from './create.operation';
import * as deleteContainer from './delete.operation';
import * as get from './get.operation';
import * as getIp from './getIp.operation';
import * as list from './list.operation';
import * as migrate from './migrate.operation';
import * as power from './power.operation';
import * as updateConfig from './updateConfig.operation';

export { clone, convertToTemplate, create, deleteContainer, get, getIp, list, migrate, power, updateConfig };

const show = { resource: ['container'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show },
		options: [
			{
				name: 'Clone',
				value: 'clone',
				description: 'Clone a container or CT template',
				action: 'Clone a container',
			},
			{
				name: 'Convert to Template',
				value: 'convertToTemplate',
				description: 'Turn a stopped container without snapshots into a template',
				action: 'Convert a container to a template',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Create a container from a container template (vztmpl)',
				action: 'Create a container',
			},
			{ name: 'Delete', value: 'delete', description: 'Destroy a container', action: 'Delete a container' },
			{ name: 'Get', value: 'get', description: 'Status and configuration', action: 'Get a container' },
			{
				name: 'Get IP',
				value: 'getIp',
				description: 'Wait until the running container has an address and return it',
				action: 'Get the IP address of a container',
			},
			{ name: 'List', value: 'list', description: 'Containers of a node', action: 'List containers' },
			{
				name: 'Migrate',
				value: 'migrate',
				description: 'Move a container to another node (a running one is restarted there)',
				action: 'Migrate a container',
			},
			{ name: 'Reboot', value: 'reboot', action: 'Reboot a container' },
			{
				name: 'Resume',
				value: 'resume',
				description: 'Start a suspended container from its saved state',
				action: 'Resume a container',
			},
			{ name: 'Shutdown', value: 'shutdown', description: 'Clean shutdown', action: 'Shut down a container' },
			{ name: 'Start', value: 'start', action: 'Start a container' },
			{ name: 'Stop', value: 'stop', description: 'Stop at once', action: 'Stop a container' },
			{
				name: 'Suspend',
				value: 'suspend',
				description: 'Save the state of a running container to disk and stop it (experimental in Proxmox)',
				action: 'Suspend a container',
			},
			{
				name: 'Update Config',
				value: 'updateConfig',
				description: 'Change hostname, cores, memory, swap, network, tags or description',
				action: 'Update the config of a container',
			},
		],
		default: 'list',
	},
	nodeField(show),
	vmField(
		{
			resource: ['container'],
			operation: [
				'get',
				'getIp',
				'clone',
				'start',
				'stop',
				'shutdown',
				'reboot',
				'suspend',
				'resume',
				'migrate',
				'convertToTemplate',
				'updateConfig',
				'delete',
			],
		},
		{ search: 'searchContainers', displayName: 'Container' },
	),
	...create.description,
	...clone.description,
	...updateConfig.description,
	...getIp.description,
	...deleteContainer.description,
	...migrate.description,
	...waitFields({
		resource: ['container'],
		operation: [
			'create',
			'clone',
			'start',
			'stop',
			'shutdown',
			'reboot',
			'suspend',
			'resume',
			'migrate',
			'convertToTemplate',
			'delete',
		],
	}),
];
