import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { maybeWait, withClient } from '../../transport';
import { getNodeName, getVmid } from '../common';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = getNodeName(this, itemIndex);
	const vmid = getVmid(this, itemIndex);
	return await withClient(this, itemIndex, async (client) => {
		const upid = await client.convertToTemplate(node, vmid);
		return { node, vmid, template: true, ...(await maybeWait(this, itemIndex, client, upid)) };
	});
}
