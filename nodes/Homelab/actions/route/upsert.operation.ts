import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { caddy, edgeCall } from '../../transport/edge';
import { requiredText } from '../common';

const showFor = { resource: ['route'], operation: ['upsert'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Hostname',
		name: 'hostname',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'jellyfin.lab.example',
		description: 'The name the proxy serves over HTTPS',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Upstream',
		name: 'upstream',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'http://192.168.1.20:8096',
		description: 'Where the proxy forwards requests: http://host:port or https://host:port',
		displayOptions: { show: showFor },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const hostname = requiredText(
		this,
		'hostname',
		itemIndex,
		'Enter the name to serve, e.g. jellyfin.lab.example',
	);
	const upstream = requiredText(
		this,
		'upstream',
		itemIndex,
		'Enter where to forward, e.g. http://192.168.1.20:8096',
	);
	const { provider } = await caddy(this, itemIndex);
	const { changed } = await edgeCall(
		this,
		itemIndex,
		async () => await provider.upsert({ hostname, upstream }),
	);
	return {
		hostname: hostname.toLowerCase().replace(/\.$/, ''),
		upstream,
		changed,
		message: changed
			? `route written to ${provider.description}`
			: 'the route was already like this: nothing changed',
	};
}
