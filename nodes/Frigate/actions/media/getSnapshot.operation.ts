import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { waitForSnapshot } from '../../../../clients/frigate';
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
	{
		displayName: 'Wait Until Snapshot Is Ready',
		name: 'waitUntilReady',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait for the snapshot: Frigate answers 404 between the object leaving its tracker and the event being saved, which is when an alert\'s "end" message often arrives. An event that ended without a snapshot fails at once.',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Wait Timeout (Seconds)',
		name: 'waitTimeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 30,
		description: 'Give up (with an error) when the snapshot is not ready after this long',
		displayOptions: { show: { ...showFor, waitUntilReady: [true] } },
	},
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollInterval',
		type: 'number',
		typeOptions: { minValue: 0.1, numberPrecision: 1 },
		default: 1,
		displayOptions: { show: { ...showFor, waitUntilReady: [true] } },
	},
	binaryPropertyField(showFor),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const id = eventIdOf.call(this, itemIndex);
	const boundingBox = (this.getNodeParameter('boundingBox', itemIndex, false) as boolean) || undefined;
	const crop = (this.getNodeParameter('crop', itemIndex, false) as boolean) || undefined;
	// default false: a workflow saved before this option fetched once, and keeps doing so
	if (!(this.getNodeParameter('waitUntilReady', itemIndex, false) as boolean)) {
		const media = await frigateCall(
			this,
			itemIndex,
			async (client, signal) => await client.snapshot(id, { boundingBox, crop }, signal),
		);
		return await mediaItem.call(this, itemIndex, media, { id, kind: 'snapshot' });
	}
	const timeoutMs = (this.getNodeParameter('waitTimeout', itemIndex, 30) as number) * 1000;
	const intervalMs = (this.getNodeParameter('pollInterval', itemIndex, 1) as number) * 1000;
	const media = await frigateCall(
		this,
		itemIndex,
		async (client, signal) =>
			await waitForSnapshot(client, id, { timeoutMs, intervalMs, signal, boundingBox, crop }),
	);
	return await mediaItem.call(this, itemIndex, media, { id, kind: 'snapshot', waitedMs: media.waitedMs });
}
