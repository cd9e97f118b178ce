import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { edgeCall, powerDns } from '../../transport/edge';
import { requiredText } from '../common';
import { readRecordType, recordType } from './common';

const showFor = { resource: ['dnsRecord'], operation: ['upsert'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'jellyfin.lab.example',
		description: 'Fully qualified name inside the zone of the credential',
		displayOptions: { show: showFor },
	},
	recordType(showFor),
	{
		displayName: 'Value',
		name: 'value',
		type: 'string',
		required: true,
		default: '',
		placeholder: '192.168.1.5',
		description: 'An IPv4 (A) or IPv6 (AAAA) address, or a host name (CNAME)',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'TTL (Seconds)',
		name: 'ttl',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: "0 uses the credential's default TTL",
		displayOptions: { show: showFor },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const name = requiredText(this, 'name', itemIndex, 'Enter the record name, e.g. jellyfin.lab.example');
	const type = readRecordType(this, itemIndex);
	const value = requiredText(this, 'value', itemIndex, 'Enter the address (A/AAAA) or host name (CNAME)');
	const ttl = this.getNodeParameter('ttl', itemIndex, 0) as number;
	const { provider } = await powerDns(this, itemIndex);
	const { changed } = await edgeCall(
		this,
		itemIndex,
		async () => await provider.upsert({ name, type, value, ttl: ttl > 0 ? ttl : undefined }),
	);
	return {
		name: name.toLowerCase().replace(/\.$/, ''),
		type,
		value,
		changed,
		message: changed
			? `${type} record written to ${provider.description}`
			: 'the record was already like this: nothing changed',
	};
}
