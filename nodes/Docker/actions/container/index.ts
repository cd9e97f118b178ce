import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as exec from './exec.operation';
import * as inspect from './inspect.operation';
import * as list from './list.operation';
import * as logs from './logs.operation';
import * as remove from './remove.operation';
import * as restart from './restart.operation';
import * as start from './start.operation';
import * as stats from './stats.operation';
import * as stop from './stop.operation';
import * as top from './top.operation';
import * as wait from './wait.operation';

export { create, exec, inspect, list, logs, remove, restart, start, stats, stop, top, wait };

/** Operations that change the host (refused up front by a read-only credential). */
export const mutating = ['create', 'start', 'stop', 'restart', 'remove', 'exec'];

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['container'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a container from an image, and start it',
				action: 'Create a container',
			},
			{
				name: 'Exec',
				value: 'exec',
				description: 'Run a command (argv, no shell) in a running container and get its exit code',
				action: 'Run a command in a container',
			},
			{ name: 'Get', value: 'inspect', description: 'Inspect a container', action: 'Inspect a container' },
			{
				name: 'Get Logs',
				value: 'logs',
				description: 'Read a container’s logs, stdout and stderr separately',
				action: 'Get logs of a container',
			},
			{ name: 'Get Many', value: 'list', description: 'List containers', action: 'List containers' },
			{
				name: 'Get Processes',
				value: 'top',
				description: 'List the processes running in a container',
				action: 'Get processes of a container',
			},
			{
				name: 'Get Stats',
				value: 'stats',
				description: 'One sample of CPU, memory and process counts',
				action: 'Get stats of a container',
			},
			{ name: 'Remove', value: 'remove', description: 'Remove a container', action: 'Remove a container' },
			{
				name: 'Restart',
				value: 'restart',
				description: 'Restart a container',
				action: 'Restart a container',
			},
			{ name: 'Start', value: 'start', description: 'Start a container', action: 'Start a container' },
			{ name: 'Stop', value: 'stop', description: 'Stop a container', action: 'Stop a container' },
			{
				name: 'Wait',
				value: 'wait',
				description: 'Wait until a container stops and return its exit code',
				action: 'Wait for a container',
			},
		],
		default: 'list',
	},
	...list.description,
	...inspect.description,
	...create.description,
	...start.description,
	...stop.description,
	...restart.description,
	...remove.description,
	...logs.description,
	...exec.description,
	...stats.description,
	...top.description,
	...wait.description,
];
