import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { SynologyClient } from '../../../../clients/synology';
import { pathField } from '../common';

const show = { resource: ['fileStation'], operation: ['download'] };

export const description: INodeProperties[] = [
	pathField('path', 'Path', show, 'File to download'),
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
		displayOptions: { show },
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	dsm: SynologyClient,
): Promise<INodeExecutionData> {
	const path = this.getNodeParameter('path', itemIndex) as string;
	const property = this.getNodeParameter('binaryPropertyName', itemIndex);
	const file = await dsm.download(path);
	const mimeType =
		file.contentType && !file.contentType.includes('octet-stream') ? file.contentType : undefined;
	const binary = await this.helpers.prepareBinaryData(file.data, file.fileName, mimeType);
	return { json: { path, fileName: file.fileName, size: file.data.length }, binary: { [property]: binary } };
}
