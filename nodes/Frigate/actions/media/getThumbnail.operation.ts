import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { frigateCall } from '../../transport';
import { eventIdField, eventIdOf } from '../common';
import { binaryPropertyField, mediaItem } from './download';

const showFor = { resource: ['media'], operation: ['getThumbnail'] };

export const description: INodeProperties[] = [eventIdField(showFor), binaryPropertyField(showFor)];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const id = eventIdOf.call(this, itemIndex);
	const media = await frigateCall(
		this,
		itemIndex,
		async (client, signal) => await client.thumbnail(id, signal),
	);
	return await mediaItem.call(this, itemIndex, media, { id, kind: 'thumbnail' });
}
