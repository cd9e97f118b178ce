import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { stackManager } from '../../transport';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return (await (await stackManager(this, itemIndex)).list()) as unknown as IDataObject[];
}
