import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dockerClient } from '../../transport';
import { containerLocator, locatorValue, show } from '../common';

const showFor = show('container', 'wait');

export const description: INodeProperties[] = [
	containerLocator(showFor),
	{
		displayName: 'Condition',
		name: 'condition',
		type: 'options',
		default: 'not-running',
		options: [
			{
				name: 'Not Running',
				value: 'not-running',
				description: 'Return as soon as the container is not running',
			},
			{ name: 'Next Exit', value: 'next-exit', description: 'Wait for the next time it exits' },
			{ name: 'Removed', value: 'removed', description: 'Wait until it is removed' },
		],
		displayOptions: { show: showFor },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = locatorValue(this, 'containerId', itemIndex, 'container');
	const condition = this.getNodeParameter('condition', itemIndex, 'not-running') as
		| 'not-running'
		| 'next-exit'
		| 'removed';
	return await (await dockerClient(this, itemIndex)).wait(id, condition, this.getExecutionCancelSignal());
}
