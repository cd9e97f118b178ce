// The log options of Container → Logs and Stack → Logs: the same fields, read the same way, for both.
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { LogOptions } from '../../../../clients/docker';
import type { Show } from '../common';

export const logOptions = (showFor: Show): INodeProperties => ({
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

export function readLogOptions(ctx: IExecuteFunctions, itemIndex: number): LogOptions {
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
