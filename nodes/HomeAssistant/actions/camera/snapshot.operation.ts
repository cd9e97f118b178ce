import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { call, entityParameter, restClient } from '../../transport';
import { entityLocator } from '../common';

const showFor = { resource: ['camera'], operation: ['snapshot'] };

export const description: INodeProperties[] = [
	entityLocator(showFor, {
		displayName: 'Camera',
		searchListMethod: 'searchCameras',
		placeholder: 'camera.porch',
	}),
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the output binary field to put the image in',
		displayOptions: { show: showFor },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const entityId = entityParameter(this, 'entityId', itemIndex);
	const field = this.getNodeParameter('binaryPropertyName', itemIndex, 'data');
	const rest = await restClient(this);
	const snapshot = await call(
		this,
		async () => await rest.cameraSnapshot(entityId, this.getExecutionCancelSignal()),
		itemIndex,
	);
	const extension = snapshot.contentType.includes('png') ? 'png' : 'jpg';
	const binary = await this.helpers.prepareBinaryData(
		snapshot.data,
		`${entityId}.${extension}`,
		snapshot.contentType,
	);
	return {
		json: {
			entity_id: entityId,
			contentType: snapshot.contentType,
			bytes: snapshot.data.length,
			takenAt: new Date().toISOString(),
		},
		binary: { [field]: binary },
	};
}
