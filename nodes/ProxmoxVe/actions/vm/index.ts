import type { INodeProperties } from 'n8n-workflow';

import { nodeField, vmField, waitFields } from '../common';
import * as clone from './clone.operation';
import * as deleteVm from './delete.operation';
import * as get from './get.operation';
import * as list from './list.operation';
import * as power from './power.operation';
import * as setCloudInit from './setCloudInit.operation';
import * as updateConfig from './updateConfig.operation';
import * as waitForIp from './waitForIp.operation';

export { clone, deleteVm, get, list, power, setCloudInit, updateConfig, waitForIp };

const WITH_VM = [
	'get',
	'start',
	'stop',
	'shutdown',
	'reboot',
	'updateConfig',
	'setCloudInit',
	'waitForIp',
	'delete',
];
const TASKS = ['clone', 'start', 'stop', 'shutdown', 'reboot', 'updateConfig', 'setCloudInit', 'delete'];

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['vm'] } },
		options: [
			{
				name: 'Clone',
				value: 'clone',
				description: 'Clone a template or VM (full or linked), optionally to another node or storage',
				action: 'Clone a VM',
			},
			{
				name: 'Configure Cloud-Init',
				value: 'setCloudInit',
				description: 'Set user, password, SSH keys, IP configuration and DNS for cloud-init',
				action: 'Configure cloud init of a VM',
			},
			{ name: 'Delete', value: 'delete', description: 'Destroy a stopped VM', action: 'Delete a VM' },
			{ name: 'Get', value: 'get', description: 'Status and configuration of a VM', action: 'Get a VM' },
			{ name: 'List', value: 'list', description: 'VMs of a node', action: 'List v ms' },
			{ name: 'Reboot', value: 'reboot', description: 'Reboot the guest OS', action: 'Reboot a VM' },
			{
				name: 'Shutdown',
				value: 'shutdown',
				description: 'Ask the guest OS to shut down (ACPI or guest agent)',
				action: 'Shut down a VM',
			},
			{ name: 'Start', value: 'start', description: 'Start a VM', action: 'Start a VM' },
			{
				name: 'Stop',
				value: 'stop',
				description: 'Stop at once, like pulling the plug',
				action: 'Stop a VM',
			},
			{
				name: 'Update Config',
				value: 'updateConfig',
				description: 'Change cores, memory, name, tags, description, network or grow a disk',
				action: 'Update the config of a VM',
			},
			{
				name: 'Wait for IP',
				value: 'waitForIp',
				description: 'Wait until the QEMU guest agent reports an IP address',
				action: 'Wait for the IP address of a VM',
			},
		],
		default: 'list',
	},
	nodeField({ resource: ['vm'] }),
	vmField({ resource: ['vm'], operation: WITH_VM }),
	...list.description,
	...clone.description,
	...power.shutdownDescription,
	...updateConfig.description,
	...setCloudInit.description,
	...waitForIp.description,
	...deleteVm.description,
	...waitFields({ resource: ['vm'], operation: TASKS }),
];
