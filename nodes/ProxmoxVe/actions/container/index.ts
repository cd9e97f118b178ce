import type { INodeProperties } from 'n8n-workflow';

import { nodeField, vmField, waitFields } from '../common';
import * as clone from './clone.operation';
import * as create from './create.operation';
import * as deleteContainer from './delete.operation';
import * as get from './get.operation';
import * as getIp from './getIp.operation';
import * as list from './list.operation';
import * as power from './power.operation';
import * as updateConfig from './updateConfig.operation';

export { clone, create, deleteContainer, get, getIp, list, power, updateConfig };

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
			{ name: 'Reboot', value: 'reboot', action: 'Reboot a container' },
			{ name: 'Shutdown', value: 'shutdown', description: 'Clean shutdown', action: 'Shut down a container' },
			{ name: 'Start', value: 'start', action: 'Start a container' },
			{ name: 'Stop', value: 'stop', description: 'Stop at once', action: 'Stop a container' },
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
			operation: ['get', 'getIp', 'clone', 'start', 'stop', 'shutdown', 'reboot', 'updateConfig', 'delete'],
		},
		{ search: 'searchContainers', displayName: 'Container' },
	),
	...create.description,
	...clone.description,
	...updateConfig.description,
	...getIp.description,
	...deleteContainer.description,
	...waitFields({
		resource: ['container'],
		operation: ['create', 'clone', 'start', 'stop', 'shutdown', 'reboot', 'delete'],
	}),
];
