import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dockerClient } from '../../transport';
import { locatorValue, show, volumeLocator } from '../common';

const showFor = show('volume', 'remove');

export const description: INodeProperties[] = [
	volumeLocator(showFor),
	{
		displayName: 'Force',
		name: 'force',
		type: 'boolean',
		default: false,
		description: 'Whether to remove the volume even if its driver reports an error',
		displayOptions: { show: showFor },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const name = locatorValue(this, 'volumeName', itemIndex, 'volume');
	return await (
		await dockerClient(this, itemIndex)
	).removeVolume(name, this.getNodeParameter('force', itemIndex, false) as boolean);
}
