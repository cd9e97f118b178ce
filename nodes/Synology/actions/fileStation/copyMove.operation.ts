import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SynologyClient } from '../../../../clients/synology';
import { progressReporter } from '../../transport';
import { folderLocator, locatorValue, pathField } from '../common';

const show = { resource: ['fileStation'], operation: ['copyMove'] };

export const description: INodeProperties[] = [
	pathField('path', 'Source Path', show, 'File or folder to copy or move'),
	folderLocator('destination', 'Destination Folder', show, 'Folder to copy or move into'),
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		default: 'copy',
		options: [
			{ name: 'Copy', value: 'copy' },
			{ name: 'Move', value: 'move' },
		],
		displayOptions: { show },
	},
	{
		displayName: 'If the Target Exists',
		name: 'conflict',
		type: 'options',
		default: 'skip',
		options: [
			{ name: 'Overwrite', value: 'overwrite' },
			{ name: 'Skip', value: 'skip' },
		],
		displayOptions: { show },
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	dsm: SynologyClient,
): Promise<IDataObject> {
	const path = this.getNodeParameter('path', itemIndex) as string;
	const destination = locatorValue(this, 'destination', itemIndex);
	const move = this.getNodeParameter('mode', itemIndex) === 'move';
	const overwrite = this.getNodeParameter('conflict', itemIndex) === 'overwrite';
	const result = await dsm.copyMove([path], destination, {
		move,
		overwrite,
		onProgress: progressReporter(this, move ? `move ${path}` : `copy ${path}`),
	});
	return { source: path, destination, mode: move ? 'move' : 'copy', ...result };
}
