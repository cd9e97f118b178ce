import type { INodeProperties } from 'n8n-workflow';

import { nodeField, vmField, waitFields } from '../common';
import * as clone from './clone.operation';
import * as convertToTemplate from './convertToTemplate.operation';
import * as create from './create.operation';
import * as deleteVm from './delete.operation';
import * as ensureFromTemplate from './ensureFromTemplate.operation';
import * as get from './get.operation';
import * as list from './list.operation';
import * as migrate from './migrate.operation';
import * as power from './power.operation';
import * as setCloudInit from './setCloudInit.operation';
import * as updateConfig from './updateConfig.operation';
import * as waitForIp from './waitForIp.operation';

export {
	clone,
	convertToTemplate,
	create,
	deleteVm,
	ensureFromTemplate,
	get,
	list,
	migrate,
	power,
	setCloudInit,
	updateConfig,
	waitForIp,
};

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
	'suspend',
	'resume',
	'convertToTemplate',
	'migrate',
];
const TASKS = [
	'clone',
	'create',
	'start',
	'stop',
	'shutdown',
	'reboot',
	'suspend',
	'resume',
	'updateConfig',
	'setCloudInit',
	'delete',
	'convertToTemplate',
	'migrate',
];

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
			{
				name: 'Convert to Template',
				value: 'convertToTemplate',
				description: 'Turn a stopped VM into a template',
				action: 'Convert a VM to a template',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Create an empty VM (disk, network, optional installer ISO)',
				action: 'Create a VM',
			},
			{ name: 'Delete', value: 'delete', description: 'Destroy a stopped VM', action: 'Delete a VM' },
			{
				name: 'Ensure From Template',
				value: 'ensureFromTemplate',
				description: 'Clone, configure and start a VM only if none with this name exists (safe to run again)',
				action: 'Ensure a VM exists from a template',
			},
			{ name: 'Get', value: 'get', description: 'Status and configuration of a VM', action: 'Get a VM' },
			{ name: 'List', value: 'list', description: 'VMs of a node', action: 'List virtual machines' },
			{
				name: 'Migrate',
				value: 'migrate',
				description: 'Move a VM to another node (live when it runs)',
				action: 'Migrate a VM',
			},
			{ name: 'Reboot', value: 'reboot', description: 'Reboot the guest OS', action: 'Reboot a VM' },
			{ name: 'Resume', value: 'resume', description: 'Resume a suspended VM', action: 'Resume a VM' },
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
			{ name: 'Suspend', value: 'suspend', description: 'Pause a running VM', action: 'Suspend a VM' },
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
	...create.description,
	...deleteVm.description,
	...migrate.description,
	...ensureFromTemplate.description,
	...waitFields({ resource: ['vm'], operation: TASKS }),
];
