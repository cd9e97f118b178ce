import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { dockerClient } from '../../transport';
import { argv, containerLocator, keyValueCollection, keyValues, locatorValue, show } from '../common';

const showFor = show('container', 'exec');

export const description: INodeProperties[] = [
	containerLocator(showFor),
	{
		displayName: 'Command',
		name: 'command',
		type: 'string',
		required: true,
		default: '',
		placeholder: '["pg_dump", "-U", "postgres", "app"]',
		description:
			'Arguments as a JSON array, run without a shell (for pipes use ["sh", "-c", "…"]); an expression may return an array',
		displayOptions: { show: showFor },
	},
	keyValueCollection('env', 'Environment Variables', showFor, 'Extra variables for the command'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: showFor },
		options: [
			{
				displayName: 'Fail On Non-Zero Exit Code',
				name: 'failOnError',
				type: 'boolean',
				default: false,
				description: 'Whether a non-zero exit code fails the item instead of being returned as exitCode',
			},
			{ displayName: 'User', name: 'user', type: 'string', default: '', placeholder: 'e.g. root or 1000' },
			{ displayName: 'Working Directory', name: 'workingDir', type: 'string', default: '' },
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = locatorValue(this, 'containerId', itemIndex, 'container');
	const command = argv(this, 'command', itemIndex, true)!;
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		workingDir?: string;
		user?: string;
		failOnError?: boolean;
	};
	const env = keyValues(this, 'env', itemIndex);
	const result = await (
		await dockerClient(this, itemIndex)
	).exec(id, command, {
		env: Object.keys(env).length ? env : undefined,
		workingDir: options.workingDir || undefined,
		user: options.user || undefined,
		signal: this.getExecutionCancelSignal(),
	});
	if (options.failOnError && result.exitCode !== 0) {
		throw new NodeOperationError(
			this.getNode(),
			`${JSON.stringify(command)} in container "${id}" exited with code ${result.exitCode}`,
			{ itemIndex, description: result.stderr.trim().slice(-1000) || 'The command wrote nothing to stderr' },
		);
	}
	return { container: id, command, ...result };
}
