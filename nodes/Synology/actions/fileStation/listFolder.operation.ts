import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SynologyClient } from '../../../../clients/synology';
import {
	collectPages,
	folderLocator,
	listOptions,
	locatorValue,
	readListOptions,
	returnAllFields,
} from '../common';

const show = { resource: ['fileStation'], operation: ['listFolder'] };

export const description: INodeProperties[] = [
	folderLocator('folder', 'Folder', show, 'The folder whose entries to list'),
	...returnAllFields(show),
	listOptions(show, true),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	dsm: SynologyClient,
): Promise<IDataObject[]> {
	const folder = locatorValue(this, 'folder', itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex);
	const want = returnAll ? undefined : this.getNodeParameter('limit', itemIndex);
	const options = readListOptions(this, itemIndex);
	return await collectPages(want, async (offset, limit) => {
		const page = await dsm.listFolder(folder, { ...options, offset, limit });
		return { total: page.total, entries: page.files };
	});
}
