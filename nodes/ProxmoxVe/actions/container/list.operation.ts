import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { withClient } from '../../transport';
import { getNodeName } from '../common';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const node = getNodeName(this, itemIndex);
	return await withClient(this, itemIndex, async (client) =>
		(await client.containers(node)).sort((a, b) => a.vmid - b.vmid).map((ct) => ({ node, ...ct })),
	);
}
