import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SynologyClient } from '../../../../clients/synology';
import { folderLocator, locatorValue } from '../common';

const show = { resource: ['fileStation'], operation: ['upload'] };

export const description: INodeProperties[] = [
	folderLocator('folder', 'Folder', show, 'Folder to upload into'),
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field containing the file to upload',
		displayOptions: { show },
	},
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		description: 'Name on the NAS; empty uses the file name of the binary data',
		displayOptions: { show },
	},
	{
		displayName: 'Overwrite',
		name: 'overwrite',
		type: 'boolean',
		default: false,
		description: 'Whether to replace a file of the same name (otherwise the upload is skipped)',
		displayOptions: { show },
	},
	{
		displayName: 'Create Missing Folders',
		name: 'createParents',
		type: 'boolean',
		default: true,
		description: 'Whether to create the folder (and its parents) when it does not exist',
		displayOptions: { show },
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	dsm: SynologyClient,
): Promise<IDataObject> {
	const folder = locatorValue(this, 'folder', itemIndex);
	const property = this.getNodeParameter('binaryPropertyName', itemIndex);
	const binary = this.helpers.assertBinaryData(itemIndex, property);
	const data = await this.helpers.getBinaryDataBuffer(itemIndex, property);
	const fileName = (
		(this.getNodeParameter('fileName', itemIndex) as string) ||
		binary.fileName ||
		'upload'
	).trim();
	const result = await dsm.upload(folder, fileName, data, {
		overwrite: this.getNodeParameter('overwrite', itemIndex) as boolean,
		createParents: this.getNodeParameter('createParents', itemIndex) as boolean,
		contentType: binary.mimeType,
	});
	return {
		path: `${folder.replace(/\/+$/, '')}/${fileName}`,
		size: data.length,
		skipped: result.blSkip === true,
	};
}
