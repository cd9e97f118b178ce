import type { INodeProperties } from 'n8n-workflow';

import { nodeField } from '../common';
import * as getStatus from './getStatus.operation';
import * as list from './list.operation';
import * as listStorage from './listStorage.operation';
import * as listStorageContent from './listStorageContent.operation';

export { getStatus, list, listStorage, listStorageContent };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['node'] } },
		options: [
			{
				name: 'Get Status',
				value: 'getStatus',
				description: 'CPU, memory, uptime and versions of a node',
				action: 'Get node status',
			},
			{ name: 'List', value: 'list', description: 'The nodes of the cluster', action: 'List nodes' },
			{
				name: 'List Storage',
				value: 'listStorage',
				description: 'The storages a node can use',
				action: 'List storages of a node',
			},
			{
				name: 'List Storage Content',
				value: 'listStorageContent',
				description: 'ISO images, container templates, backups or disks on a storage',
				action: 'List storage content',
			},
		],
		default: 'list',
	},
	nodeField({ resource: ['node'], operation: ['getStatus', 'listStorage', 'listStorageContent'] }),
	...listStorage.description,
	...listStorageContent.description,
];
