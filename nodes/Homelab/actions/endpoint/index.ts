import type { INodeProperties } from 'n8n-workflow';

import * as checkHttp from './checkHttp.operation';
import * as checkTcp from './checkTcp.operation';

export { checkHttp, checkTcp };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['endpoint'] } },
		options: [
			{
				name: 'Check HTTP(S)',
				value: 'checkHttp',
				description: 'Request a URL and report status, latency and TLS certificate expiry',
				action: 'Check an HTTP(S) endpoint',
			},
			{
				name: 'Check TCP Port',
				value: 'checkTcp',
				description: 'Report whether a host accepts connections on a port',
				action: 'Check a TCP port',
			},
		],
		default: 'checkHttp',
	},
	...checkHttp.description,
	...checkTcp.description,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { resource: ['endpoint'] } },
		options: [
			{
				displayName: 'Fail When Unhealthy',
				name: 'failWhenDown',
				type: 'boolean',
				default: false,
				description:
					'Whether an unhealthy endpoint stops the workflow with an error (use with "On Error" settings) instead of returning healthy: false',
			},
			{
				displayName: 'Timeout (Ms)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 10000,
				description: 'How long to wait for the endpoint to answer',
			},
		],
	},
];
