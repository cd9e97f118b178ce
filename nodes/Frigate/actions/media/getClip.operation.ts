import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { frigateCall } from '../../transport';
import { eventIdField, eventIdOf } from '../common';
import { binaryPropertyField, mediaItem } from './download';

const showFor = { resource: ['media'], operation: ['getClip'] };

export const description: INodeProperties[] = [
	eventIdField(showFor),
	{
		displayName: 'Wait Until Clip Is Ready',
		name: 'waitUntilReady',
		type: 'boolean',
		default: true,
		description:
			'Whether to wait for the clip: Frigate answers 404 while the event runs and shortly after it ends, so the clip is often not ready when the "end" message arrives',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Wait Timeout (Seconds)',
		name: 'waitTimeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 60,
		description: 'Give up (with an error) when the clip is not ready after this long',
		displayOptions: { show: { ...showFor, waitUntilReady: [true] } },
	},
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollInterval',
		type: 'number',
		typeOptions: { minValue: 0.1, numberPrecision: 1 },
		default: 2,
		displayOptions: { show: { ...showFor, waitUntilReady: [true] } },
	},
	binaryPropertyField(showFor),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const id = eventIdOf.call(this, itemIndex);
	const wait = this.getNodeParameter('waitUntilReady', itemIndex, true) as boolean;
	if (!wait) {
		const media = await frigateCall(this, itemIndex, async (client, signal) => await client.clip(id, signal));
		return await mediaItem.call(this, itemIndex, media, { id, kind: 'clip', waitedMs: 0 });
	}
	const timeoutMs = (this.getNodeParameter('waitTimeout', itemIndex, 60) as number) * 1000;
	const intervalMs = (this.getNodeParameter('pollInterval', itemIndex, 2) as number) * 1000;
	const media = await frigateCall(
		this,
		itemIndex,
		async (client, signal) => await client.waitForClip(id, { timeoutMs, intervalMs, signal }),
	);
	return await mediaItem.call(this, itemIndex, media, { id, kind: 'clip', waitedMs: media.waitedMs });
}
