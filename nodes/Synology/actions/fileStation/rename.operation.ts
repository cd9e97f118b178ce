import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SynologyClient } from '../../../../clients/synology';
import { pathField } from '../common';

const show = { resource: ['fileStation'], operation: ['rename'] };

export const description: INodeProperties[] = [
	pathField('path', 'Path', show, 'File or folder to rename'),
	{
		displayName: 'New Name',
		name: 'newName',
		type: 'string',
		default: '',
		required: true,
		description: 'The new name (a plain name; use Move to change the folder)',
		displayOptions: { show },
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	dsm: SynologyClient,
): Promise<IDataObject> {
	const path = this.getNodeParameter('path', itemIndex) as string;
	const newName = this.getNodeParameter('newName', itemIndex) as string;
	const { files } = await dsm.rename(path, newName);
	return files[0] ?? {};
}
