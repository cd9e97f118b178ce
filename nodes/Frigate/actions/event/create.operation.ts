import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { frigateCall } from '../../transport';
import { cameraField, cameraOf } from '../common';

const showFor = { resource: ['event'], operation: ['create'] };

export const description: INodeProperties[] = [
	cameraField(showFor),
	{
		displayName: 'Label',
		name: 'label',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'doorbell',
		description: 'Label of the manual event (letters, digits, "_", "-")',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Options',
		name: 'createOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: showFor },
		options: [
			{
				displayName: 'Duration (Seconds)',
				name: 'duration',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 30,
				description: 'How long the event lasts; 0 keeps it open until "End Manual Event"',
			},
			{
				displayName: 'Include Recording',
				name: 'includeRecording',
				type: 'boolean',
				default: true,
				description: 'Whether Frigate keeps the recording of the event (gives it a clip)',
			},
			{
				displayName: 'Score',
				name: 'score',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
				default: 0,
			},
			{
				displayName: 'Sub Label',
				name: 'subLabel',
				type: 'string',
				default: '',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const camera = cameraOf.call(this, itemIndex);
	const label = (this.getNodeParameter('label', itemIndex) as string).trim();
	const options = this.getNodeParameter('createOptions', itemIndex, {}) as IDataObject;
	const duration = options.duration === undefined ? 30 : Number(options.duration);
	const result = await frigateCall(
		this,
		itemIndex,
		async (client, signal) =>
			await client.createEvent(
				camera,
				label,
				{
					duration: duration > 0 ? duration : null,
					includeRecording: options.includeRecording === undefined ? true : Boolean(options.includeRecording),
					subLabel: typeof options.subLabel === 'string' && options.subLabel ? options.subLabel : undefined,
					score: options.score ? Number(options.score) : undefined,
				},
				signal,
			),
	);
	return { id: result.event_id, camera, label, message: result.message };
}
