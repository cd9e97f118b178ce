import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SynologyClient } from '../../../../clients/synology';
import { locatorValue, shareLocator } from '../common';

export const description: INodeProperties[] = [
	shareLocator('share', { resource: ['snapshot'], operation: ['list'] }),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	dsm: SynologyClient,
): Promise<IDataObject[]> {
	const share = locatorValue(this, 'share', itemIndex).replace(/^\/+/, '');
	const { snapshots } = await dsm.listSnapshots(share);
	return snapshots.map((snapshot) => ({ share, ...(snapshot as IDataObject) }));
}
