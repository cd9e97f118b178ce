import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { frigateCall } from '../../transport';
import { cameraField, cameraOf } from '../common';
import { binaryPropertyField, mediaItem } from './download';

const showFor = { resource: ['media'], operation: ['getLatestFrame'] };

export const description: INodeProperties[] = [
	cameraField(showFor),
	{
		displayName: 'Height (Pixels)',
		name: 'height',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Scale the frame to this height; 0 keeps the detect resolution',
		displayOptions: { show: showFor },
	},
	binaryPropertyField(showFor),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const camera = cameraOf.call(this, itemIndex);
	const height = this.getNodeParameter('height', itemIndex, 0) as number;
	const media = await frigateCall(
		this,
		itemIndex,
		async (client, signal) =>
			await client.latestFrame(camera, { height: height > 0 ? height : undefined }, signal),
	);
	return await mediaItem.call(this, itemIndex, media, { camera, kind: 'latest' });
}
