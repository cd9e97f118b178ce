import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { maybeWait, withClient } from '../../transport';
import { getLocatorString, getNodeName, getVmid, guestKind } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'Start After Rollback',
		name: 'startAfter',
		type: 'boolean',
		default: false,
		description: 'Whether to start the VM once rolled back (a snapshot with RAM resumes running anyway)',
		displayOptions: { show: { resource: ['snapshot'], operation: ['rollback'] } },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = getNodeName(this, itemIndex);
	const vmid = getVmid(this, itemIndex);
	const snapname = getLocatorString(this, itemIndex, 'snapname');
	const start = this.getNodeParameter('startAfter', itemIndex, false) as boolean;
	return await withClient(this, itemIndex, async (client) => {
		const upid = await client.rollbackSnapshot(node, vmid, snapname, {
			start: start || undefined,
			kind: guestKind(this, itemIndex),
		});
		const waited = await maybeWait(this, itemIndex, client, upid);
		const result: IDataObject = { node, vmid, snapshot: snapname, ...waited };
		if (waited.waited) {
			const kind = guestKind(this, itemIndex);
			const status =
				kind === 'lxc' ? await client.containerStatus(node, vmid) : await client.vmStatus(node, vmid);
			result.status = status.status;
		}
		return result;
	});
}
