import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { assertVmid, type Params } from '../../../../clients/proxmox';
import { maybeWait, toNodeError, withClient } from '../../transport';
import { asTrimmedText } from '../../../../shared/values';
import { getNodeName } from '../common';

const show = { resource: ['vm'], operation: ['create'] };

export const description: INodeProperties[] = [
	{
		displayName: 'VM ID',
		name: 'createVmid',
		type: 'number',
		default: 0,
		description: 'ID of the new VM; 0 takes the next free ID of the cluster',
		displayOptions: { show },
	},
	{
		displayName: 'VM Name',
		name: 'vmName',
		type: 'string',
		default: '',
		placeholder: 'nas-01',
		displayOptions: { show },
	},
	{
		displayName: 'Create Options',
		name: 'vmCreateOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{ displayName: 'Cores', name: 'cores', type: 'number', typeOptions: { minValue: 1 }, default: 2 },
			{
				displayName: 'Disk Size (GiB)',
				name: 'diskSize',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 32,
			},
			{ displayName: 'Disk Storage', name: 'storage', type: 'string', default: 'local-lvm' },
			{
				displayName: 'Guest Agent',
				name: 'agent',
				type: 'boolean',
				default: true,
				description: 'Whether to enable the QEMU guest agent option (needed for "Wait for IP")',
			},
			{
				displayName: 'ISO Image',
				name: 'iso',
				type: 'string',
				default: '',
				placeholder: 'local:iso/ubuntu-24.04-live-server-amd64.iso',
				description: 'Installer to boot from, attached as a CD-ROM',
			},
			{
				displayName: 'Memory (MiB)',
				name: 'memory',
				type: 'number',
				typeOptions: { minValue: 16 },
				default: 2048,
			},
			{ displayName: 'Network', name: 'net0', type: 'string', default: 'virtio,bridge=vmbr0' },
			{
				displayName: 'OS Type',
				name: 'ostype',
				type: 'options',
				options: [
					{ name: 'Linux (Kernel 2.6+)', value: 'l26' },
					{ name: 'Other', value: 'other' },
					{ name: 'Windows 11/2022/2025', value: 'win11' },
				],
				default: 'l26',
			},
			{ displayName: 'Start After Create', name: 'start', type: 'boolean', default: false },
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = getNodeName(this, itemIndex);
	const requested = this.getNodeParameter('createVmid', itemIndex, 0) as number;
	const name = asTrimmedText(this.getNodeParameter('vmName', itemIndex, ''));
	const options = this.getNodeParameter('vmCreateOptions', itemIndex, {}) as {
		cores?: number;
		diskSize?: number;
		storage?: string;
		agent?: boolean;
		iso?: string;
		memory?: number;
		net0?: string;
		ostype?: string;
		start?: boolean;
	};
	try {
		if (requested) assertVmid(requested, 'VM ID');
	} catch (error) {
		throw toNodeError(this.getNode(), error, itemIndex);
	}
	return await withClient(this, itemIndex, async (client) => {
		const vmid = requested || (await client.nextId());
		const params: Params = {
			name: name || undefined,
			cores: options.cores ?? 2,
			memory: String(options.memory ?? 2048),
			ostype: options.ostype ?? 'l26',
			scsihw: 'virtio-scsi-single',
			scsi0: `${options.storage?.trim() || 'local-lvm'}:${options.diskSize ?? 32}`,
			net0: options.net0?.trim() || 'virtio,bridge=vmbr0',
			agent: options.agent === false ? '0' : '1',
			ide2: options.iso?.trim() ? `${options.iso.trim()},media=cdrom` : undefined,
			start: options.start || undefined,
		};
		const upid = await client.createVm(node, vmid, params);
		return { node, vmid, name: name || null, ...(await maybeWait(this, itemIndex, client, upid)) };
	});
}
