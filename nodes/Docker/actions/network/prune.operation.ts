import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dockerClient } from '../../transport';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const result = await (await dockerClient(this, itemIndex)).pruneNetworks();
	return { networksDeleted: result.NetworksDeleted ?? [] };
}
