import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { assertVmid } from '../../../../clients/proxmox';
import { maybeWait, toNodeError, withClient } from '../../transport';
import { asTrimmedText } from '../../../../shared/values';
import { getNodeName } from '../common';

const show = { resource: ['container'], operation: ['create'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Container Template',
		name: 'ostemplate',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
		description: 'Volume ID of the template (Node → List Storage Content, Container Templates)',
		displayOptions: { show },
	},
	{
		displayName: 'Hostname',
		name: 'hostname',
		type: 'string',
		default: '',
		placeholder: 'pihole',
		displayOptions: { show },
	},
	{
		displayName: 'Container ID',
		name: 'ctVmid',
		type: 'number',
		default: 0,
		description: 'ID of the new container; 0 takes the next free ID of the cluster',
		displayOptions: { show },
	},
	{
		displayName: 'Create Options',
		name: 'createOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{ displayName: 'Cores', name: 'cores', type: 'number', typeOptions: { minValue: 1 }, default: 1 },
			{
				displayName: 'Disk Size (GiB)',
				name: 'diskSize',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 8,
			},
			{ displayName: 'Disk Storage', name: 'storage', type: 'string', default: 'local-lvm' },
			{
				displayName: 'Memory (MiB)',
				name: 'memory',
				type: 'number',
				typeOptions: { minValue: 16 },
				default: 512,
			},
			{
				displayName: 'Network',
				name: 'net0',
				type: 'string',
				default: 'name=eth0,bridge=vmbr0,ip=dhcp',
				description: 'For example name=eth0,bridge=vmbr0,ip=192.168.1.60/24,gw=192.168.1.1 (or ip=dhcp)',
			},
			{
				displayName: 'Root Password',
				name: 'password',
				type: 'string',
				typeOptions: { password: true },
				default: '',
			},
			{
				displayName: 'SSH Public Keys',
				name: 'sshPublicKeys',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				description: 'One OpenSSH public key per line, for root',
			},
			{ displayName: 'Start After Create', name: 'start', type: 'boolean', default: false },
			{ displayName: 'Start at Boot', name: 'onboot', type: 'boolean', default: false },
			{ displayName: 'Unprivileged', name: 'unprivileged', type: 'boolean', default: true },
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = getNodeName(this, itemIndex);
	const ostemplate = asTrimmedText(this.getNodeParameter('ostemplate', itemIndex));
	const hostname = asTrimmedText(this.getNodeParameter('hostname', itemIndex, ''));
	const requested = this.getNodeParameter('ctVmid', itemIndex, 0) as number;
	const options = this.getNodeParameter('createOptions', itemIndex, {}) as {
		cores?: number;
		diskSize?: number;
		storage?: string;
		memory?: number;
		net0?: string;
		password?: string;
		sshPublicKeys?: string;
		start?: boolean;
		onboot?: boolean;
		unprivileged?: boolean;
	};
	try {
		if (requested) assertVmid(requested, 'Container ID');
	} catch (error) {
		throw toNodeError(this.getNode(), error, itemIndex);
	}
	return await withClient(this, itemIndex, async (client) => {
		const vmid = requested || (await client.nextId());
		const storage = options.storage?.trim() || 'local-lvm';
		const upid = await client.createContainer(node, {
			vmid,
			ostemplate,
			hostname: hostname || undefined,
			password: options.password || undefined,
			sshPublicKeys: options.sshPublicKeys?.trim() || undefined,
			storage,
			rootfs: `${storage}:${options.diskSize ?? 8}`,
			cores: options.cores,
			memory: options.memory,
			net0: options.net0?.trim() || 'name=eth0,bridge=vmbr0,ip=dhcp',
			unprivileged: options.unprivileged ?? true,
			onboot: options.onboot || undefined,
			start: options.start || undefined,
		});
		return { node, vmid, hostname: hostname || null, ...(await maybeWait(this, itemIndex, client, upid)) };
	});
}
