import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ollamaClient, toNodeError } from '../../transport';
import { modelLocator, readModel } from '../common';

const showFor = { resource: ['model'], operation: ['copy'] };

export const description: INodeProperties[] = [
	modelLocator(showFor, 'Source Model'),
	{
		displayName: 'New Name',
		name: 'destination',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'llama3.2-backup',
		description: 'Name of the copy',
		displayOptions: { show: showFor },
	},
];

/** POST /api/copy. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const source = readModel.call(this, itemIndex);
	const destination = (this.getNodeParameter('destination', itemIndex) as string).trim();
	if (!destination) {
		throw new NodeOperationError(this.getNode(), 'New Name is empty', { itemIndex });
	}
	const client = await ollamaClient.call(this);
	try {
		await client.copy(source, destination);
		return { source, destination, copied: true };
	} catch (error) {
		throw toNodeError(this.getNode(), error, itemIndex, client.baseUrl);
	}
}
