import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { assertVmid } from '../../../../clients/proxmox';
import { maybeWait, toNodeError, withClient } from '../../transport';
import { asText, getNodeName } from '../common';

const show = { resource: ['backup'], operation: ['restore'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Backup Volume ID',
		name: 'archive',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'local:backup/vzdump-qemu-100-2025_01_31-02_00_00.vma.zst',
		description: 'The "volid" of the backup, as "List" returns it',
		displayOptions: { show },
	},
	{
		displayName: 'Restore as VM ID',
		name: 'restoreVmid',
		type: 'string',
		required: true,
		default: '',
		placeholder: '100',
		description: 'The ID the restored VM gets; an existing VM is only replaced with "Overwrite Existing VM"',
		displayOptions: { show },
	},
	{
		displayName: 'Overwrite Existing VM',
		name: 'force',
		type: 'boolean',
		default: false,
		description: 'Whether to replace a (stopped) VM that has this ID',
		displayOptions: { show },
	},
	{
		displayName: 'Target Storage',
		name: 'targetStorage',
		type: 'string',
		default: '',
		placeholder: 'local-lvm',
		description: 'Storage for the restored disks; empty uses the ones in the backup',
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

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = getNodeName(this, itemIndex);
	const archive = asText(this.getNodeParameter('archive', itemIndex));
	let vmid: number;
	try {
		vmid = assertVmid(asText(this.getNodeParameter('restoreVmid', itemIndex)), 'Restore as VM ID');
	} catch (error) {
		throw toNodeError(this.getNode(), error, itemIndex);
	}
	const force = this.getNodeParameter('force', itemIndex, false) as boolean;
	const storage = asText(this.getNodeParameter('targetStorage', itemIndex, ''));
	const start = this.getNodeParameter('startAfterRestore', itemIndex, false) as boolean;
	return await withClient(this, itemIndex, async (client) => {
		const upid = await client.restoreVm(node, {
			vmid,
			archive,
			storage: storage || undefined,
			force: force || undefined,
			start: start || undefined,
		});
		return { node, vmid, archive, ...(await maybeWait(this, itemIndex, client, upid)) };
	});
}
