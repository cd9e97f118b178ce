import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { unexposeService } from '../../../../clients/edge/expose';
import { caddy, edgeCall, powerDns } from '../../transport/edge';
import { nameLocator, requiredText } from '../common';

export const description: INodeProperties[] = [
	nameLocator(
		'route',
		'Service',
		'searchRoutes',
		{ resource: ['service'], operation: ['unexpose'] },
		'The exposed service, by its hostname',
	),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const hostname = requiredText(
		this,
		'route',
		itemIndex,
		'Pick a service from the list or enter its hostname',
	);
	const proxy = await caddy(this, itemIndex);
	const dns = await powerDns(this, itemIndex);
	const result = await edgeCall(this, itemIndex, async () =>
		unexposeService({ hostname, routes: proxy.provider, records: dns.provider }),
	);
	return { hostname: result.hostname, changed: { ...result.changed }, message: result.message };
}
