import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { withClient } from '../../transport';
import { getNodeName, getVmid } from '../common';
import { guestIpFields, ipOptions } from '../shared/guest-ip';

export const description: INodeProperties[] = guestIpFields;

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = getNodeName(this, itemIndex);
	const vmid = getVmid(this, itemIndex);
	const options = ipOptions(this, itemIndex);
	return await withClient(this, itemIndex, async (client) => {
		const result = await client.waitForGuestIp(node, vmid, options);
		return {
			node,
			vmid,
			ip: result.ip,
			ips: result.ips as unknown as IDataObject[],
			waitedMs: result.waitedMs,
			interfaces: result.interfaces as unknown as IDataObject[],
		};
	});
}
