import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { stackManager } from '../../transport';
import { locatorValue, show, stackLocator, stringList } from '../common';
import { logOptions, readLogOptions } from '../shared/logs';

const showFor = show('stack', 'logs');

export const description: INodeProperties[] = [
	stackLocator(showFor),
	{
		displayName: 'Services',
		name: 'services',
		type: 'string',
		default: '',
		placeholder: 'e.g. web, db',
		description: 'Only these services, separated by commas; empty for all',
		displayOptions: { show: showFor },
	},
	logOptions(showFor),
];

/** One item per container: service, container, stdout, stderr, lines. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const stack = locatorValue(this, 'stackName', itemIndex, 'stack');
	const logs = await (
		await stackManager(this, itemIndex)
	).logs(stack, {
		...readLogOptions(this, itemIndex),
		services: stringList(this.getNodeParameter('services', itemIndex, '')),
		signal: this.getExecutionCancelSignal(),
	});
	return logs.map((entry) => ({ stack, ...entry }));
}
