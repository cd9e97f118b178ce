import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dockerClient } from '../../transport';
import { containerLocator, locatorValue, show } from '../common';

const showFor = show('container', 'remove');

export const description: INodeProperties[] = [
	containerLocator(showFor),
	{
		displayName: 'Force',
		name: 'force',
		type: 'boolean',
		default: false,
		description: 'Whether to kill a running container instead of failing',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Remove Anonymous Volumes',
		name: 'volumes',
		type: 'boolean',
		default: false,
		description: 'Whether to remove the anonymous volumes of the container too (named volumes stay)',
		displayOptions: { show: showFor },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = locatorValue(this, 'containerId', itemIndex, 'container');
	return await (
		await dockerClient(this, itemIndex)
	).removeContainer(id, {
		force: this.getNodeParameter('force', itemIndex, false) as boolean,
		volumes: this.getNodeParameter('volumes', itemIndex, false) as boolean,
	});
}
