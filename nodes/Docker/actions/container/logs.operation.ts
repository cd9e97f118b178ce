import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dockerClient } from '../../transport';
import { containerLocator, locatorValue, show } from '../common';

const showFor = show('container', 'logs');

export const logOptions = (showFor: { resource: string[]; operation: string[] }): INodeProperties => ({
	displayName: 'Options',
	name: 'logOptions',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: showFor },
	options: [
		{
			displayName: 'Include Stderr',
			name: 'stderr',
			type: 'boolean',
			default: true,
			description: 'Whether to include standard error',
		},
		{
			displayName: 'Include Stdout',
			name: 'stdout',
			type: 'boolean',
			default: true,
			description: 'Whether to include standard output',
		},
		{
			displayName: 'Since',
			name: 'since',
			type: 'dateTime',
			default: '',
			description: 'Only lines written after this time',
		},
		{
			displayName: 'Tail (Lines)',
			name: 'tail',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 100,
			description: 'Only the last lines of the log; -1 for all',
		},
		{
			displayName: 'Timestamps',
			name: 'timestamps',
			type: 'boolean',
			default: false,
			description: 'Whether to prefix each line with its RFC 3339 timestamp',
		},
		{
			displayName: 'Until',
			name: 'until',
			type: 'dateTime',
			default: '',
			description: 'Only lines written before this time',
		},
	],
});

export const description: INodeProperties[] = [containerLocator(showFor), logOptions(showFor)];

export function readLogOptions(ctx: IExecuteFunctions, itemIndex: number) {
	const options = ctx.getNodeParameter('logOptions', itemIndex, {}) as {
		tail?: number;
		since?: string;
		until?: string;
		timestamps?: boolean;
		stdout?: boolean;
		stderr?: boolean;
	};
	return {
		tail: options.tail === undefined ? 100 : options.tail < 0 ? undefined : options.tail,
		since: options.since || undefined,
		until: options.until || undefined,
		timestamps: options.timestamps ?? false,
		stdout: options.stdout ?? true,
		stderr: options.stderr ?? true,
	};
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = locatorValue(this, 'containerId', itemIndex, 'container');
	const logs = await (
		await dockerClient(this, itemIndex)
	).containerLogs(id, readLogOptions(this, itemIndex), this.getExecutionCancelSignal());
	return { container: id, ...logs };
}
