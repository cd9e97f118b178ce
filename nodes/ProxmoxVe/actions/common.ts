import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { assertNodeName, assertVmid, POLL_INTERVAL_MS } from '../../../clients/proxmox';
import { asTrimmedText } from '../../../shared/values';
import { toNodeError } from '../transport';

export type Show = NonNullable<IDisplayOptions['show']>;

/** The cluster node an operation runs on (dropdown of nodes, or typed). */
export function nodeField(show: Show, displayName = 'Node', name = 'node'): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The Proxmox VE cluster node',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchNodes', searchable: true },
			},
			{ displayName: 'By Name', name: 'name', type: 'string', placeholder: 'pve1' },
		],
		displayOptions: { show },
	};
}

/** A QEMU VM (or, with `templates`, a template) of the chosen node. */
export function vmField(
	show: Show,
	{ templates = false, name = 'vmid', search = '', displayName = '' } = {},
): INodeProperties {
	return {
		displayName: displayName || (templates ? 'Template' : 'VM'),
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: templates ? 'The VM or template to clone' : 'The virtual machine',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: {
					searchListMethod: search || (templates ? 'searchTemplates' : 'searchVms'),
					searchable: true,
				},
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '100',
				validation: [
					{
						type: 'regex',
						properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'A VM ID is a number like 100' },
					},
				],
			},
		],
		displayOptions: { show },
	};
}

export function storageField(show: Show, description = 'The storage'): INodeProperties {
	return {
		displayName: 'Storage',
		name: 'storage',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchStorages', searchable: true },
			},
			{ displayName: 'By Name', name: 'name', type: 'string', placeholder: 'local' },
		],
		displayOptions: { show },
	};
}

export function snapshotField(show: Show): INodeProperties {
	return {
		displayName: 'Snapshot',
		name: 'snapname',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchSnapshots', searchable: true },
			},
			{ displayName: 'By Name', name: 'name', type: 'string', placeholder: 'before-upgrade' },
		],
		displayOptions: { show },
	};
}

/** The content types a storage holds, for the storage lists' "Content" filter (empty: any). */
export const storageContentOptions = [
	{ name: 'Any', value: '' },
	{ name: 'Backups', value: 'backup' },
	{ name: 'Container Templates', value: 'vztmpl' },
	{ name: 'Container Volumes', value: 'rootdir' },
	{ name: 'ISO Images', value: 'iso' },
	{ name: 'VM Disks', value: 'images' },
];

/** "Wait for Completion" and its options, for every operation that starts a task (UPID). */
export function waitFields(show: Show): INodeProperties[] {
	return [
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: true,
			description:
				'Whether to wait until the Proxmox task has finished and fail when it fails (otherwise return its task ID at once)',
			displayOptions: { show },
		},
		taskOptionsField({ ...show, waitForCompletion: [true] }),
	];
}

/** Timeout and poll interval of a task wait. */
export function taskOptionsField(show: Show): INodeProperties {
	return {
		displayName: 'Task Options',
		name: 'taskOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 600,
				description: 'Stop waiting (and fail) after this long; the task keeps running on Proxmox',
			},
			{
				displayName: 'Poll Interval (Ms)',
				name: 'pollInterval',
				type: 'number',
				typeOptions: { minValue: 50, maxValue: POLL_INTERVAL_MS.max },
				default: 1000,
				description: 'How often to ask Proxmox for the task status',
			},
		],
	};
}

export function getNodeName(ctx: IExecuteFunctions, itemIndex: number, name = 'node'): string {
	try {
		return assertNodeName(ctx.getNodeParameter(name, itemIndex, '', { extractValue: true }) as string, name);
	} catch (error) {
		throw toNodeError(ctx.getNode(), error, itemIndex);
	}
}

export function getVmid(ctx: IExecuteFunctions, itemIndex: number, name = 'vmid'): number {
	try {
		return assertVmid(ctx.getNodeParameter(name, itemIndex, '', { extractValue: true }) as string, name);
	} catch (error) {
		throw toNodeError(ctx.getNode(), error, itemIndex);
	}
}

/** Snapshot operations work on VMs and containers alike. */
export function guestKind(ctx: IExecuteFunctions, itemIndex: number): 'qemu' | 'lxc' {
	return ctx.getNodeParameter('guestType', itemIndex, 'qemu') === 'lxc' ? 'lxc' : 'qemu';
}

export function getLocatorString(ctx: IExecuteFunctions, itemIndex: number, name: string): string {
	return asTrimmedText(ctx.getNodeParameter(name, itemIndex, '', { extractValue: true }));
}
