import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { frigateCall } from '../../transport';
import { splitList } from '../../../../shared/values';

const showFor = { resource: ['review'], operation: ['markReviewed'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Review IDs',
		name: 'reviewIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: '1718987129.308396-fqk5ka',
		description: 'Comma-separated review item IDs, e.g. {{ $JSON.ID }} from the Frigate Trigger',
		displayOptions: { show: showFor },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const ids = splitList(this.getNodeParameter('reviewIds', itemIndex));
	if (ids.length === 0) {
		throw new NodeOperationError(this.getNode(), 'No review IDs given', { itemIndex });
	}
	const result = await frigateCall(
		this,
		itemIndex,
		async (client, signal) => await client.markReviewed(ids, signal),
	);
	return { ids, reviewed: true, message: result.message };
}
