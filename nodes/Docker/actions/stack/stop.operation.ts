import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { stackManager } from '../../transport';
import { locatorValue, show, stackLocator } from '../common';

const showFor = show('stack', 'stop');

export const description: INodeProperties[] = [
	stackLocator(showFor),
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 10,
		description: 'How long each container may take to exit after SIGTERM before it is killed',
		displayOptions: { show: showFor },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const stack = locatorValue(this, 'stackName', itemIndex, 'stack');
	const stopped = await (
		await stackManager(this, itemIndex)
	).stop(stack, { timeoutSeconds: this.getNodeParameter('timeout', itemIndex, 10) as number });
	return { stack, containers: stopped };
}
