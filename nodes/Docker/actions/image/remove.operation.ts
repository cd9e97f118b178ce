import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dockerClient } from '../../transport';
import { imageLocator, locatorValue, show } from '../common';

const showFor = show('image', 'remove');

export const description: INodeProperties[] = [
	imageLocator(showFor),
	{
		displayName: 'Force',
		name: 'force',
		type: 'boolean',
		default: false,
		description: 'Whether to remove the image even when stopped containers use it or it has several tags',
		displayOptions: { show: showFor },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = locatorValue(this, 'imageId', itemIndex, 'image');
	const removed = await (
		await dockerClient(this, itemIndex)
	).removeImage(id, { force: this.getNodeParameter('force', itemIndex, false) as boolean });
	return {
		image: id,
		untagged: removed.filter((entry) => entry.Untagged).map((entry) => entry.Untagged),
		deleted: removed.filter((entry) => entry.Deleted).map((entry) => entry.Deleted),
	};
}
