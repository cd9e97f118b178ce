import type { INodeProperties } from 'n8n-workflow';

import * as deleteRecord from './delete.operation';
import * as list from './list.operation';
import * as upsert from './upsert.operation';

export { deleteRecord, list, upsert };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['dnsRecord'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a record this node manages',
				action: 'Delete a DNS record',
			},
			{
				name: 'List',
				value: 'list',
				description: 'List the A, AAAA and CNAME records this node manages in the zone',
				action: 'List DNS records',
			},
			{
				name: 'Create or Update',
				value: 'upsert',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
				action: 'Add or update a DNS record',
			},
		],
		default: 'list',
	},
	...upsert.description,
	...deleteRecord.description,
];
