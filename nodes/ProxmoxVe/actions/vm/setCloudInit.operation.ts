import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { maybeWait, withClient } from '../../transport';
import { getNodeName, getVmid } from '../common';
import { cloudInitFields, cloudInitParams } from '../shared/cloud-init';

export const description: INodeProperties[] = cloudInitFields;

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = getNodeName(this, itemIndex);
	const vmid = getVmid(this, itemIndex);
	const params = cloudInitParams(this, itemIndex);
	if (Object.keys(params).length === 0) {
		throw new NodeOperationError(this.getNode(), 'No cloud-init field set', {
			itemIndex,
			description:
				'Add at least one field under "Cloud-Init Fields" or an interface under "IP Config per Interface"',
		});
	}
	return await withClient(this, itemIndex, async (client) => {
		const waited = await maybeWait(this, itemIndex, client, await client.updateVmConfig(node, vmid, params));
		return { node, vmid, changed: Object.keys(params), ...waited };
	});
}
