import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { stackManager } from '../../transport';
import { locatorValue, show, stackLocator } from '../common';

export const description: INodeProperties[] = [stackLocator(show('stack', 'status'))];

/** One item per service: state (running, partial, stopped), counts and its containers. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const stack = locatorValue(this, 'stackName', itemIndex, 'stack');
	const services = await (await stackManager(this, itemIndex)).status(stack);
	return services.map((service) => ({ stack, ...service }) as unknown as IDataObject);
}
