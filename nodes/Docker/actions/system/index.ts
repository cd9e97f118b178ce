import type { INodeProperties } from 'n8n-workflow';

import * as df from './df.operation';
import * as info from './info.operation';
import * as prune from './prune.operation';
import * as version from './version.operation';

export { df, info, prune, version };

export const mutating = ['prune'];

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['system'] } },
		options: [
			{
				name: 'Get Disk Usage',
				value: 'df',
				description: 'Space used by images, containers, volumes and build cache',
				action: 'Get disk usage',
			},
			{
				name: 'Get Info',
				value: 'info',
				description: 'Engine-wide information (docker info)',
				action: 'Get engine info',
			},
			{
				name: 'Get Version',
				value: 'version',
				description: 'Engine and API versions',
				action: 'Get engine version',
			},
			{
				name: 'Prune',
				value: 'prune',
				description: 'Remove stopped containers, unused networks, dangling images and build cache',
				action: 'Prune the system',
			},
		],
		default: 'info',
	},
	...prune.description,
];
