import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Params } from '../../../../clients/proxmox';
import { maybeWait, withClient } from '../../transport';
import { getNodeName, getVmid } from '../common';

const show = { resource: ['vm'], operation: ['updateConfig'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options: [
			{ displayName: 'Cores', name: 'cores', type: 'number', typeOptions: { minValue: 1 }, default: 2 },
			{ displayName: 'Description', name: 'description', type: 'string', default: '' },
			{
				displayName: 'Memory (MiB)',
				name: 'memory',
				type: 'number',
				typeOptions: { minValue: 16 },
				default: 2048,
			},
			{ displayName: 'Name', name: 'name', type: 'string', default: '' },
			{
				displayName: 'Network Device 0',
				name: 'net0',
				type: 'string',
				default: '',
				placeholder: 'virtio,bridge=vmbr0,tag=20',
			},
			{ displayName: 'Sockets', name: 'sockets', type: 'number', typeOptions: { minValue: 1 }, default: 1 },
			{ displayName: 'Start at Boot', name: 'onboot', type: 'boolean', default: false },
			{
				displayName: 'Tags',
				name: 'tags',
				type: 'string',
				default: '',
				placeholder: 'web;prod',
				description: 'Tags separated by ";"',
			},
		],
	},
	{
		displayName: 'Resize Disk',
		name: 'resize',
		type: 'collection',
		placeholder: 'Add Disk Resize',
		default: {},
		displayOptions: { show },
		options: [
			{ displayName: 'Disk', name: 'disk', type: 'string', default: 'scsi0', placeholder: 'scsi0' },
			{
				displayName: 'Size',
				name: 'size',
				type: 'string',
				default: '',
				placeholder: '+10G',
				description: 'New size ("50G") or growth ("+10G"); disks can only grow',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = getNodeName(this, itemIndex);
	const vmid = getVmid(this, itemIndex);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as Params;
	const resize = this.getNodeParameter('resize', itemIndex, {}) as { disk?: string; size?: string };
	const changes: Params = Object.fromEntries(
		Object.entries(fields).filter(([, value]) => value !== '' && value !== undefined),
	);
	if (Object.keys(changes).length === 0 && !resize.size) {
		throw new NodeOperationError(this.getNode(), 'Nothing to update', {
			itemIndex,
			description: 'Add at least one field under "Update Fields" or a disk size under "Resize Disk"',
		});
	}
	return await withClient(this, itemIndex, async (client) => {
		const result: IDataObject = { node, vmid, changed: Object.keys(changes) };
		if (Object.keys(changes).length > 0) {
			Object.assign(
				result,
				await maybeWait(this, itemIndex, client, await client.updateVmConfig(node, vmid, changes)),
			);
		}
		if (resize.size) {
			await client.resizeVmDisk(node, vmid, (resize.disk || 'scsi0').trim(), resize.size.trim());
			result.resized = { disk: resize.disk || 'scsi0', size: resize.size };
		}
		return result;
	});
}
