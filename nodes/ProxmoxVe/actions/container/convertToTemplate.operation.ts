import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { maybeWait, withClient } from '../../transport';
import { getNodeName, getVmid } from '../common';

export const description: INodeProperties[] = [];

/** POST /nodes/{node}/lxc/{vmid}/template: only a stopped container without snapshots becomes a template. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = getNodeName(this, itemIndex);
	const vmid = getVmid(this, itemIndex);
	return await withClient(this, itemIndex, async (client) => {
		// Proxmox answers null here; the client finds the vztemplate task it started so it can be waited for.
		const upid = await client.convertContainerToTemplate(node, vmid);
		return { node, vmid, template: true, ...(await maybeWait(this, itemIndex, client, upid)) };
	});
}
