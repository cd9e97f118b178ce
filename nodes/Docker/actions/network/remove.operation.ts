import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dockerClient } from '../../transport';
import { locatorValue, networkLocator, show } from '../common';

export const description: INodeProperties[] = [networkLocator(show('network', 'remove'))];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = locatorValue(this, 'networkId', itemIndex, 'network');
	return await (await dockerClient(this, itemIndex)).removeNetwork(id);
}
