import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dockerClient } from '../../transport';
import { asData, imageLocator, locatorValue, show } from '../common';

export const description: INodeProperties[] = [imageLocator(show('image', 'inspect'))];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = locatorValue(this, 'imageId', itemIndex, 'image');
	return asData(await (await dockerClient(this, itemIndex)).inspectImage(id));
}
