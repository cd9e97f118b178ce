import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { frigateCall } from '../../transport';
import { eventIdField, eventIdOf } from '../common';
import { binaryPropertyField, mediaItem } from './download';

const showFor = { resource: ['media'], operation: ['getSnapshot'] };

export const description: INodeProperties[] = [
	eventIdField(showFor),
	{
		displayName: 'Draw Bounding Box',
		name: 'boundingBox',
		type: 'boolean',
		default: false,
		description: 'Whether Frigate draws the box around the object',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Crop to Object',
		name: 'crop',
		type: 'boolean',
		default: false,
		description: 'Whether to crop the snapshot to the object',
		displayOptions: { show: showFor },
	},
	binaryPropertyField(showFor),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const id = eventIdOf.call(this, itemIndex);
	const boundingBox = this.getNodeParameter('boundingBox', itemIndex, false) as boolean;
	const crop = this.getNodeParameter('crop', itemIndex, false) as boolean;
	const media = await frigateCall(
		this,
		itemIndex,
		async (client, signal) =>
			await client.snapshot(id, { boundingBox: boundingBox || undefined, crop: crop || undefined }, signal),
	);
	return await mediaItem.call(this, itemIndex, media, { id, kind: 'snapshot' });
}
