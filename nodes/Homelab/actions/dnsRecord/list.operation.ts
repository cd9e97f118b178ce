import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { edgeCall, powerDns } from '../../transport/edge';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { provider } = await powerDns(this, itemIndex);
	const records = await edgeCall(this, itemIndex, async () => await provider.list());
	return records.map((record) => ({ ...record, ttl: record.ttl ?? null, server: provider.description }));
}
