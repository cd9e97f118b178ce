import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { maybeWait, withClient } from '../../transport';
import { getNodeName, getVmid } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'Purge',
		name: 'purge',
		type: 'boolean',
		default: true,
		description: 'Whether to also remove the VM from backup jobs, replication and HA',
		displayOptions: { show: { resource: ['vm'], operation: ['delete'] } },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = getNodeName(this, itemIndex);
	const vmid = getVmid(this, itemIndex);
	const purge = this.getNodeParameter('purge', itemIndex, true) as boolean;
	return await withClient(this, itemIndex, async (client) => {
		const upid = await client.deleteVm(node, vmid, { purge, 'destroy-unreferenced-disks': true });
		return { node, vmid, deleted: true, ...(await maybeWait(this, itemIndex, client, upid)) };
	});
}
