import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { publishMqtt } from '../../transport';
import { cameraField, cameraOf } from '../common';

const showFor = { resource: ['camera'], operation: ['setFeature'] };

// docs.frigate.video/integrations/mqtt: frigate/<camera>/{detect,recordings,snapshots}/set with ON or OFF.
export const description: INodeProperties[] = [
	cameraField(showFor),
	{
		displayName: 'Feature',
		name: 'feature',
		type: 'options',
		options: [
			{ name: 'Detection', value: 'detect' },
			{ name: 'Recordings', value: 'recordings' },
			{ name: 'Snapshots', value: 'snapshots' },
		],
		default: 'detect',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'State',
		name: 'state',
		type: 'options',
		options: [
			{ name: 'On', value: 'ON' },
			{ name: 'Off', value: 'OFF' },
		],
		default: 'ON',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Topic Prefix',
		name: 'topicPrefix',
		type: 'string',
		default: 'frigate',
		description: 'Frigate’s mqtt.topic_prefix',
		displayOptions: { show: showFor },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const camera = cameraOf.call(this, itemIndex);
	const feature = this.getNodeParameter('feature', itemIndex) as string;
	const state = this.getNodeParameter('state', itemIndex) as string;
	const prefix = (this.getNodeParameter('topicPrefix', itemIndex, 'frigate') as string)
		.trim()
		.replace(/\/+$/, '');
	if (!prefix || /[#+]/.test(prefix) || /[#+/]/.test(camera)) {
		throw new NodeOperationError(
			this.getNode(),
			'Topic prefix or camera contains MQTT wildcards or is empty',
			{
				itemIndex,
			},
		);
	}
	const topic = `${prefix}/${camera}/${feature}/set`;
	await publishMqtt.call(this, itemIndex, [{ topic, payload: state }]);
	return { camera, feature, state, topic, published: true };
}
