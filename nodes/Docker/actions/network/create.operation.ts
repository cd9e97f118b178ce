import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dockerClient } from '../../transport';
import { keyValueCollection, keyValues, show } from '../common';

const showFor = show('network', 'create');

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. proxy',
		displayOptions: { show: showFor },
	},
	keyValueCollection('labels', 'Labels', showFor, 'Labels on the network'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: showFor },
		options: [
			{
				displayName: 'Attachable',
				name: 'attachable',
				type: 'boolean',
				default: false,
				description: 'Whether standalone containers may attach (overlay networks)',
			},
			{
				displayName: 'Driver',
				name: 'driver',
				type: 'string',
				default: 'bridge',
				placeholder: 'bridge, macvlan, overlay',
			},
			{
				displayName: 'Internal',
				name: 'internal',
				type: 'boolean',
				default: false,
				description: 'Whether to cut the network off from the outside',
			},
			{
				displayName: 'Subnet',
				name: 'subnet',
				type: 'string',
				default: '',
				placeholder: 'e.g. 172.30.0.0/24',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		driver?: string;
		internal?: boolean;
		attachable?: boolean;
		subnet?: string;
	};
	return await (
		await dockerClient(this, itemIndex)
	).createNetwork({
		name: (this.getNodeParameter('name', itemIndex) as string).trim(),
		labels: keyValues(this, 'labels', itemIndex),
		driver: options.driver || undefined,
		internal: options.internal,
		attachable: options.attachable,
		subnet: options.subnet || undefined,
	});
}
