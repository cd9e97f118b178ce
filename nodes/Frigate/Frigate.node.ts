import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as camera from './actions/camera';
import * as event from './actions/event';
import * as exportResource from './actions/export';
import * as media from './actions/media';
import * as review from './actions/review';
import { router } from './actions/router';
import * as system from './actions/system';
import { frigateApiTest, mqttBrokerApiTest, searchCameras, searchEvents } from './methods';

export class Frigate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Frigate',
		name: 'frigate',
		icon: { light: 'file:frigate.svg', dark: 'file:frigate.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Events, snapshots, clips, review items, exports and camera switches of a Frigate NVR',
		defaults: { name: 'Frigate' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'frigateApi', required: true, testedBy: 'frigateApiTest' },
			{
				name: 'mqttBrokerApi',
				required: true,
				testedBy: 'mqttBrokerApiTest',
				displayOptions: { show: { resource: ['camera'] } },
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Camera', value: 'camera' },
					{ name: 'Event', value: 'event' },
					{ name: 'Export', value: 'export' },
					{ name: 'Media', value: 'media' },
					{ name: 'Review Item', value: 'review' },
					{ name: 'System', value: 'system' },
				],
				default: 'event',
			},
			...event.description,
			...media.description,
			...review.description,
			...exportResource.description,
			...system.description,
			...camera.description,
		],
	};

	methods = {
		credentialTest: { frigateApiTest, mqttBrokerApiTest },
		listSearch: { searchCameras, searchEvents },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
