import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SynologyClient } from '../../../../clients/synology';
import { locatorValue, shareLocator } from '../common';

const show = { resource: ['snapshot'], operation: ['create'] };

export const description: INodeProperties[] = [
	shareLocator('share', show),
	{
		displayName: 'Description',
		name: 'snapshotDescription',
		type: 'string',
		default: '',
		placeholder: 'before upgrading the stack',
		displayOptions: { show },
	},
	{
		displayName: 'Lock',
		name: 'lock',
		type: 'boolean',
		default: false,
		description: 'Whether the retention policy must keep this snapshot',
		displayOptions: { show },
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	dsm: SynologyClient,
): Promise<IDataObject> {
	const share = locatorValue(this, 'share', itemIndex).replace(/^\/+/, '');
	const description = this.getNodeParameter('snapshotDescription', itemIndex) as string;
	const lock = this.getNodeParameter('lock', itemIndex) as boolean;
	const snapshot = await dsm.createSnapshot(share, { description, lock });
	return { share, snapshot, description, lock };
}
