import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { frigateCall } from '../../transport';

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['system'] } },
		options: [
			{
				name: 'Get Config',
				value: 'getConfig',
				description: 'Frigate’s configuration (cameras, zones, objects)',
				action: 'Get the configuration',
			},
			{
				name: 'Get Stats',
				value: 'getStats',
				description: 'Camera FPS, detector speed, storage and uptime',
				action: 'Get the stats',
			},
		],
		default: 'getStats',
	},
];

export async function getStats(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return (await frigateCall(
		this,
		itemIndex,
		async (client, signal) => await client.stats(signal),
	)) as IDataObject;
}

export async function getConfig(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return (await frigateCall(
		this,
		itemIndex,
		async (client, signal) => await client.config(signal),
	)) as IDataObject;
}
