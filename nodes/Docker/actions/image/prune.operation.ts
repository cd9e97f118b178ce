import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dockerClient } from '../../transport';
import { asData, show } from '../common';

const showFor = show('image', 'prune');

export const description: INodeProperties[] = [
	{
		displayName: 'Remove All Unused',
		name: 'all',
		type: 'boolean',
		default: false,
		description: 'Whether to remove every image no container uses, not only untagged (dangling) ones',
		displayOptions: { show: showFor },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const all = this.getNodeParameter('all', itemIndex, false) as boolean;
	return asData(await (await dockerClient(this, itemIndex)).pruneImages({ all }));
}
