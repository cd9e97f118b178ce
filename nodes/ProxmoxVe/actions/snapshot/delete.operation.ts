import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { maybeWait, withClient } from '../../transport';
import { getLocatorString, getNodeName, getVmid, guestKind } from '../common';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = getNodeName(this, itemIndex);
	const vmid = getVmid(this, itemIndex);
	const snapname = getLocatorString(this, itemIndex, 'snapname');
	return await withClient(this, itemIndex, async (client) => {
		const upid = await client.deleteSnapshot(node, vmid, snapname, { kind: guestKind(this, itemIndex) });
		return {
			node,
			vmid,
			snapshot: snapname,
			deleted: true,
			...(await maybeWait(this, itemIndex, client, upid)),
		};
	});
}
