import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dockerClient } from '../../transport';
import { show } from '../common';

const showFor = show('volume', 'prune');

export const description: INodeProperties[] = [
	{
		displayName: 'Include Named Volumes',
		name: 'all',
		type: 'boolean',
		default: false,
		description:
			'Whether to remove unused named volumes too (engine API 1.42+); otherwise only anonymous ones are removed',
		displayOptions: { show: showFor },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const all = this.getNodeParameter('all', itemIndex, false) as boolean;
	const result = await (
		await dockerClient(this, itemIndex)
	).pruneVolumes(all ? { all: ['true'] } : undefined);
	return { volumesDeleted: result.VolumesDeleted ?? [], spaceReclaimedBytes: result.SpaceReclaimed ?? 0 };
}
