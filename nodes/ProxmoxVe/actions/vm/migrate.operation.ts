import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { maybeWait, withClient } from '../../transport';
import { getNodeName, getVmid, nodeField } from '../common';

const show = { resource: ['vm'], operation: ['migrate'] };

export const description: INodeProperties[] = [
	nodeField(show, 'Target Node', 'migrateTarget'),
	{
		displayName: 'Online',
		name: 'online',
		type: 'boolean',
		default: true,
		description: 'Whether to live-migrate a running VM (a running VM cannot move otherwise)',
		displayOptions: { show },
	},
	{
		displayName: 'With Local Disks',
		name: 'withLocalDisks',
		type: 'boolean',
		default: true,
		description: 'Whether to copy disks on local storage (local-lvm, ZFS) to the target node',
		displayOptions: { show },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = getNodeName(this, itemIndex);
	const vmid = getVmid(this, itemIndex);
	const target = getNodeName(this, itemIndex, 'migrateTarget');
	const online = this.getNodeParameter('online', itemIndex, true) as boolean;
	const withLocalDisks = this.getNodeParameter('withLocalDisks', itemIndex, true) as boolean;
	return await withClient(this, itemIndex, async (client) => {
		const running = (await client.vmStatus(node, vmid)).status === 'running';
		const upid = await client.migrateVm(node, vmid, {
			target,
			online: running ? online : undefined,
			'with-local-disks': withLocalDisks || undefined,
		});
		return { vmid, from: node, node: target, ...(await maybeWait(this, itemIndex, client, upid)) };
	});
}
