import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { withClient } from '../../transport';
import { getNodeName, getVmid } from '../common';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = getNodeName(this, itemIndex);
	const vmid = getVmid(this, itemIndex);
	return await withClient(this, itemIndex, async (client) => {
		const [status, config] = await Promise.all([
			client.containerStatus(node, vmid),
			client.containerConfig(node, vmid),
		]);
		return { node, vmid, hostname: config.hostname ?? null, status: status.status, current: status, config };
	});
}
