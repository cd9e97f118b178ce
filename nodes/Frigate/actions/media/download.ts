import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { FrigateMedia } from '../../../../clients/frigate';

export function binaryPropertyField(show: Record<string, string[]>): INodeProperties {
	return {
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
		displayOptions: { show },
	};
}

/** One output item: the file as n8n binary data plus what it is in JSON. */
export async function mediaItem(
	this: IExecuteFunctions,
	itemIndex: number,
	media: FrigateMedia,
	json: IDataObject,
): Promise<INodeExecutionData> {
	const property = this.getNodeParameter('binaryPropertyName', itemIndex, 'data').trim() || 'data';
	const binary = await this.helpers.prepareBinaryData(media.data, media.fileName, media.mimeType);
	return {
		json: { ...json, fileName: media.fileName, mimeType: media.mimeType, bytes: media.data.length },
		binary: { [property]: binary },
	};
}
