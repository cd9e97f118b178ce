import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dockerClient } from '../../transport';
import { asData, keyValueCollection, keyValues, show } from '../common';

const showFor = show('volume', 'create');

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. jellyfin-config',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Driver',
		name: 'driver',
		type: 'string',
		default: 'local',
		displayOptions: { show: showFor },
	},
	keyValueCollection(
		'driverOpts',
		'Driver Options',
		showFor,
		'Options of the driver, e.g. type=nfs, o=addr=nas,rw, device=:/volume1/media',
	),
	keyValueCollection('labels', 'Labels', showFor, 'Labels on the volume'),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return asData(
		await (
			await dockerClient(this, itemIndex)
		).createVolume({
			name: (this.getNodeParameter('name', itemIndex) as string).trim(),
			driver: (this.getNodeParameter('driver', itemIndex, 'local') as string).trim() || 'local',
			driverOpts: keyValues(this, 'driverOpts', itemIndex),
			labels: keyValues(this, 'labels', itemIndex),
		}),
	);
}
