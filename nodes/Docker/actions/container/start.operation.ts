import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dockerClient } from '../../transport';
import { containerLocator, locatorValue, show } from '../common';

const showFor = show('container', 'start');

export const description: INodeProperties[] = [containerLocator(showFor)];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = locatorValue(this, 'containerId', itemIndex, 'container');
	const client = await dockerClient(this, itemIndex);
	return await client.startContainer(id);
}
