import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { caddy, edgeCall } from '../../transport/edge';
import { nameLocator, requiredText } from '../common';

export const description: INodeProperties[] = [
	nameLocator(
		'route',
		'Route',
		'searchRoutes',
		{ resource: ['route'], operation: ['remove'] },
		'The route to remove, by its hostname',
	),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const hostname = requiredText(this, 'route', itemIndex, 'Pick a route from the list or enter its hostname');
	const { provider } = await caddy(this, itemIndex);
	const { changed } = await edgeCall(this, itemIndex, async () => await provider.remove(hostname));
	return {
		hostname,
		changed,
		message: changed
			? `route removed from ${provider.description}`
			: `${provider.description} holds no route for ${hostname} managed by this node: nothing changed`,
	};
}
