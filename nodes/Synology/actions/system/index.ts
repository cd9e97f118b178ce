import type { INodeProperties } from 'n8n-workflow';

import * as info from './info.operation';
import * as packages from './packages.operation';
import * as storage from './storage.operation';
import * as utilization from './utilization.operation';

export { info, packages, storage, utilization };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['system'] } },
		options: [
			{
				name: 'Get Info',
				value: 'info',
				description: 'Model, serial, DSM version, temperature, uptime',
				action: 'Get system info',
			},
			{
				name: 'Get Storage',
				value: 'storage',
				description: 'Volumes with usage and disks with SMART health',
				action: 'Get storage and disk health',
			},
			{
				name: 'Get Utilization',
				value: 'utilization',
				description: 'CPU, memory, network and disk load',
				action: 'Get utilization',
			},
			{
				name: 'List Packages',
				value: 'packages',
				description: 'Installed packages and whether they run',
				action: 'List installed packages',
			},
		],
		default: 'info',
	},
];
