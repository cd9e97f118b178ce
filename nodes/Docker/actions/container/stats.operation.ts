import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dockerClient } from '../../transport';
import { containerLocator, locatorValue, show } from '../common';

export const description: INodeProperties[] = [containerLocator(show('container', 'stats'))];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = locatorValue(this, 'containerId', itemIndex, 'container');
	return (await (await dockerClient(this, itemIndex)).stats(id)) as IDataObject;
}
