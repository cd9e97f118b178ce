import type { INodeProperties } from 'n8n-workflow';

import * as list from './list.operation';
import * as remove from './remove.operation';
import * as upsert from './upsert.operation';
import * as verify from './verify.operation';

export { list, remove, upsert, verify };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['route'] } },
		options: [
			{
				name: 'List',
				value: 'list',
				description: 'List the routes this node manages on the reverse proxy',
				action: 'List routes',
			},
			{
				name: 'Remove',
				value: 'remove',
				description: 'Remove a route this node manages (the proxy stops serving the name)',
				action: 'Remove a route',
			},
			{
				name: 'Create or Update',
				value: 'upsert',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
				action: 'Add or update a route',
			},
			{
				name: 'Verify',
				value: 'verify',
				description:
					"Check a name from a client's side: DNS, proxy connection, certificate against the lab CA, health request",
				action: 'Verify a route from the client side',
			},
		],
		default: 'list',
	},
	...upsert.description,
	...remove.description,
	...verify.description,
];
