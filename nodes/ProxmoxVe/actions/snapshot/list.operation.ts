import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { withClient } from '../../transport';
import { getNodeName, getVmid, guestKind } from '../common';

export const description: INodeProperties[] = [];

/** One item per snapshot, oldest first; Proxmox's "current" pseudo-entry (the live state) is left out. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const node = getNodeName(this, itemIndex);
	const vmid = getVmid(this, itemIndex);
	return await withClient(this, itemIndex, async (client) => {
		const snapshots = await client.snapshots(node, vmid, guestKind(this, itemIndex));
		return snapshots
			.filter((snapshot) => snapshot.name !== 'current')
			.sort((a, b) => (a.snaptime ?? 0) - (b.snaptime ?? 0))
			.map((snapshot) => ({
				node,
				vmid,
				...snapshot,
				createdAt: snapshot.snaptime ? new Date(snapshot.snaptime * 1000).toISOString() : null,
			}));
	});
}
