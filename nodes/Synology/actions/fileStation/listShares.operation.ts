import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SynologyClient } from '../../../../clients/synology';
import { collectPages, listOptions, readListOptions, returnAllFields } from '../common';

const show = { resource: ['fileStation'], operation: ['listShares'] };

export const description: INodeProperties[] = [...returnAllFields(show), listOptions(show, false)];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	dsm: SynologyClient,
): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex);
	const want = returnAll ? undefined : this.getNodeParameter('limit', itemIndex);
	const options = readListOptions(this, itemIndex);
	return await collectPages(want, async (offset, limit) => {
		const page = await dsm.listShares({ ...options, offset, limit });
		return { total: page.total, entries: page.shares };
	});
}
