import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { maybeWait, withClient } from '../../transport';
import { getNodeName, getVmid } from '../common';

const show = { resource: ['container'], operation: ['delete'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Purge',
		name: 'ctPurge',
		type: 'boolean',
		default: true,
		description: 'Whether to also remove the container from backup jobs, replication and HA',
		displayOptions: { show },
	},
	{
		displayName: 'Force (Stop If Running)',
		name: 'ctForce',
		type: 'boolean',
		default: false,
		description: 'Whether to destroy a running container (it is stopped first)',
		displayOptions: { show },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = getNodeName(this, itemIndex);
	const vmid = getVmid(this, itemIndex);
	const purge = this.getNodeParameter('ctPurge', itemIndex, true) as boolean;
	const force = this.getNodeParameter('ctForce', itemIndex, false) as boolean;
	return await withClient(this, itemIndex, async (client) => {
		const upid = await client.deleteContainer(node, vmid, { purge, force: force || undefined });
		return { node, vmid, deleted: true, ...(await maybeWait(this, itemIndex, client, upid)) };
	});
}
