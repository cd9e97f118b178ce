import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { edgeCall, powerDns } from '../../transport/edge';
import { nameLocator, requiredText } from '../common';
import { readRecordType, recordType } from './common';

const showFor = { resource: ['dnsRecord'], operation: ['delete'] };

export const description: INodeProperties[] = [
	nameLocator('record', 'Record', 'searchRecords', showFor, 'The record to delete, by its name'),
	recordType(showFor),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const name = requiredText(this, 'record', itemIndex, 'Pick a record from the list or enter its name');
	const type = readRecordType(this, itemIndex);
	const { provider } = await powerDns(this, itemIndex);
	const { changed } = await edgeCall(this, itemIndex, async () => await provider.remove(name, type));
	return {
		name,
		type,
		changed,
		message: changed
			? `${type} record deleted from ${provider.description}`
			: `${provider.description} holds no ${type} record ${name} managed by this node: nothing changed`,
	};
}
