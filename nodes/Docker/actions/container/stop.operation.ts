import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dockerClient } from '../../transport';
import { containerLocator, locatorValue, show } from '../common';

const showFor = show('container', 'stop');

export const description: INodeProperties[] = [
	containerLocator(showFor),
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 10,
		description: 'How long to wait for the container to exit after SIGTERM before it is killed',
		displayOptions: { show: showFor },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = locatorValue(this, 'containerId', itemIndex, 'container');
	const client = await dockerClient(this, itemIndex);
	return await client.stopContainer(id, this.getNodeParameter('timeout', itemIndex, 10) as number);
}
