import type { INodeProperties } from 'n8n-workflow';

import * as getClip from './getClip.operation';
import * as getLatestFrame from './getLatestFrame.operation';
import * as getSnapshot from './getSnapshot.operation';
import * as getThumbnail from './getThumbnail.operation';

export { getClip, getLatestFrame, getSnapshot, getThumbnail };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['media'] } },
		options: [
			{
				name: 'Get Clip',
				value: 'getClip',
				description: 'Download the clip.mp4 of an event',
				action: 'Get the clip of an event',
			},
			{
				name: 'Get Latest Frame',
				value: 'getLatestFrame',
				description: 'Download the latest frame of a camera',
				action: 'Get the latest frame of a camera',
			},
			{
				name: 'Get Snapshot',
				value: 'getSnapshot',
				description: 'Download the snapshot.jpg of an event',
				action: 'Get the snapshot of an event',
			},
			{
				name: 'Get Thumbnail',
				value: 'getThumbnail',
				description: 'Download the thumbnail of an event',
				action: 'Get the thumbnail of an event',
			},
		],
		default: 'getSnapshot',
	},
	...getSnapshot.description,
	...getThumbnail.description,
	...getClip.description,
	...getLatestFrame.description,
];
