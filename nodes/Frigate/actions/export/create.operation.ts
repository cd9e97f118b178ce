import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { frigateCall } from '../../transport';
import { cameraField, cameraOf, unixSeconds } from '../common';

const showFor = { resource: ['export'], operation: ['create'] };

export const description: INodeProperties[] = [
	cameraField(showFor),
	{
		displayName: 'Start',
		name: 'start',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'Start of the recording range (ISO date or unix seconds)',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'End',
		name: 'end',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'End of the recording range',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Playback',
		name: 'playback',
		type: 'options',
		options: [
			{ name: 'Realtime', value: 'realtime' },
			{ name: 'Timelapse 25x', value: 'timelapse_25x' },
		],
		default: 'realtime',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Export Name',
		name: 'exportName',
		type: 'string',
		default: '',
		displayOptions: { show: showFor },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const camera = cameraOf.call(this, itemIndex);
	const start = unixSeconds.call(this, this.getNodeParameter('start', itemIndex), 'Start', itemIndex);
	const end = unixSeconds.call(this, this.getNodeParameter('end', itemIndex), 'End', itemIndex);
	if (start === undefined || end === undefined || end <= start) {
		throw new NodeOperationError(this.getNode(), 'The export needs a start before its end', { itemIndex });
	}
	const playback = this.getNodeParameter('playback', itemIndex, 'realtime') as 'realtime' | 'timelapse_25x';
	const name = (this.getNodeParameter('exportName', itemIndex, '') as string).trim();
	const result = await frigateCall(
		this,
		itemIndex,
		async (client, signal) =>
			await client.exportRecording(
				camera,
				Math.floor(start),
				Math.ceil(end),
				{ playback, name: name || undefined },
				signal,
			),
	);
	return { camera, start, end, playback, exportId: result.export_id ?? null, message: result.message };
}
