import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { assertVmid, backupGuestKind, ProxmoxInputError } from '../../../../clients/proxmox';
import { maybeWait, toNodeError, withClient } from '../../transport';
import { asTrimmedText } from '../../../../shared/values';
import { getLocatorString, getNodeName } from '../common';

const show = { resource: ['backup'], operation: ['restore'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Guest Type',
		name: 'restoreGuestType',
		type: 'options',
		options: [
			{
				name: 'From the Archive Name',
				value: 'auto',
				description: 'Vzdump-qemu-… restores a VM, vzdump-lxc-… a container',
			},
			{ name: 'VM (QEMU)', value: 'qemu' },
			{ name: 'Container (LXC)', value: 'lxc' },
		],
		default: 'auto',
		displayOptions: { show },
	},
	{
		displayName: 'Backup',
		name: 'archive',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The backup to restore (its volume ID, as "List" returns it in "volid")',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchBackups', searchable: true },
			},
			{
				displayName: 'By Volume ID',
				name: 'id',
				type: 'string',
				placeholder: 'local:backup/vzdump-qemu-100-2025_01_31-02_00_00.vma.zst',
			},
		],
		displayOptions: { show },
	},
	{
		displayName: 'Restore as ID',
		name: 'restoreVmid',
		type: 'string',
		required: true,
		default: '',
		placeholder: '100',
		description:
			'The VM or container ID the restored guest gets; an existing guest is only replaced with "Overwrite Existing Guest"',
		displayOptions: { show },
	},
	{
		displayName: 'Overwrite Existing Guest',
		name: 'force',
		type: 'boolean',
		default: false,
		description: 'Whether to replace a (stopped) VM or container that has this ID',
		displayOptions: { show },
	},
	{
		displayName: 'Target Storage',
		name: 'targetStorage',
		type: 'string',
		default: '',
		placeholder: 'local-lvm',
		description:
			'Storage for the restored disks. Empty: a VM keeps the storages in the backup; a container goes to "local", which on a default install cannot hold containers, so name one (e.g. local-lvm).',
		displayOptions: { show },
	},
	{
		displayName: 'Start After Restore',
		name: 'startAfterRestore',
		type: 'boolean',
		default: false,
		displayOptions: { show },
	},
];

/** Restores a vzdump archive as a VM (qmrestore) or a container (vzrestore), the type chosen or read from its name. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = getNodeName(this, itemIndex);
	const archive = getLocatorString(this, itemIndex, 'archive');
	const chosen = this.getNodeParameter('restoreGuestType', itemIndex, 'auto') as 'auto' | 'qemu' | 'lxc';
	let vmid: number;
	let kind: 'qemu' | 'lxc';
	try {
		if (!archive) {
			throw new ProxmoxInputError(
				'No backup given',
				'archive',
				'Pick a backup from the list or paste its volid',
			);
		}
		vmid = assertVmid(asTrimmedText(this.getNodeParameter('restoreVmid', itemIndex)), 'Restore as ID');
		const detected = backupGuestKind(archive);
		if (chosen === 'auto' && !detected) {
			throw new ProxmoxInputError(
				`Cannot tell from "${archive}" whether it holds a VM or a container`,
				'restoreGuestType',
				'Set "Guest Type" to VM or Container',
			);
		}
		kind = chosen === 'auto' ? detected! : chosen;
	} catch (error) {
		throw toNodeError(this.getNode(), error, itemIndex);
	}
	const force = this.getNodeParameter('force', itemIndex, false) as boolean;
	const storage = asTrimmedText(this.getNodeParameter('targetStorage', itemIndex, ''));
	const start = this.getNodeParameter('startAfterRestore', itemIndex, false) as boolean;
	return await withClient(this, itemIndex, async (client) => {
		const options = {
			vmid,
			archive,
			storage: storage || undefined,
			force: force || undefined,
			start: start || undefined,
		};
		const upid =
			kind === 'lxc' ? await client.restoreContainer(node, options) : await client.restoreVm(node, options);
		return { node, vmid, archive, guestType: kind, ...(await maybeWait(this, itemIndex, client, upid)) };
	});
}
