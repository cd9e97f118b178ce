import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { caddy, edgeCall } from '../../transport/edge';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { provider } = await caddy(this, itemIndex);
	const routes = await edgeCall(this, itemIndex, async () => await provider.list());
	return routes.map((route) => ({ ...route, url: `https://${route.hostname}`, proxy: provider.description }));
}
