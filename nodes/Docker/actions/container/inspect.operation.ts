import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dockerClient } from '../../transport';
import { asData, containerLocator, locatorValue, show } from '../common';

export const description: INodeProperties[] = [containerLocator(show('container', 'inspect'))];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = locatorValue(this, 'containerId', itemIndex, 'container');
	return asData(await (await dockerClient(this, itemIndex)).inspectContainer(id));
}
