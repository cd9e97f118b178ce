import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseCompose, parseDotEnv, type ComposeProject } from '../../../../clients/docker';
import { keyValueCollection, keyValues, type Show } from '../common';

/** The compose file, its variables and where it lives: shared by Deploy and Pull and Redeploy. */
export const composeSourceFields = (showFor: Show): INodeProperties[] => [
	{
		displayName: 'Stack Name',
		name: 'stack',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. stack-media',
		description:
			'The compose project name (lowercase letters, digits, - and _); containers are named &lt;stack&gt;-&lt;service&gt;-1',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Compose File Source',
		name: 'source',
		type: 'options',
		default: 'inline',
		options: [
			{
				name: 'Inline YAML',
				value: 'inline',
				description: 'Compose YAML written here or built by an expression',
			},
			{ name: 'File Path', value: 'path', description: 'A compose file on the machine n8n runs on' },
		],
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Compose YAML',
		name: 'composeYaml',
		type: 'string',
		typeOptions: { rows: 12 },
		required: true,
		default: '',
		placeholder: 'services:\n  web:\n    image: nginx:1.27\n    ports: ["8080:80"]',
		displayOptions: { show: { ...showFor, source: ['inline'] } },
	},
	{
		displayName: 'Compose File Path',
		name: 'composePath',
		type: 'string',
		required: true,
		default: '',
		placeholder: '/opt/stacks/stack-media/compose.yaml',
		description:
			'Absolute path on the n8n machine; a .env file beside it supplies variables, and relative paths in the file resolve against its folder',
		displayOptions: { show: { ...showFor, source: ['path'] } },
	},
	keyValueCollection(
		'variables',
		'Variables',
		showFor,
		'Values for ${VAR} in the compose file (override the .env file). n8n’s own environment is never used.',
	),
];

export interface LoadedCompose {
	project: ComposeProject;
	configFile?: string;
	workingDir?: string;
}

function readText(ctx: IExecuteFunctions, file: string, itemIndex: number, what: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as { code?: string }).code;
		throw new NodeOperationError(
			ctx.getNode(),
			`The ${what} "${file}" cannot be read: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`,
			{
				itemIndex,
				description:
					'The path is read on the machine n8n runs on; for n8n in Docker, mount the folder into its container',
			},
		);
	}
}

/** Reads and parses the compose file the parameters describe; ComposeErrors carry the YAML line. */
export function loadCompose(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: { envText?: string; workingDir?: string } = {},
): LoadedCompose {
	const stack = (ctx.getNodeParameter('stack', itemIndex) as string).trim();
	const source = ctx.getNodeParameter('source', itemIndex, 'inline') as string;
	let yaml: string;
	let configFile: string | undefined;
	let workingDir = options.workingDir?.trim() || undefined;
	let variables: Record<string, string> = {};
	if (source === 'path') {
		configFile = (ctx.getNodeParameter('composePath', itemIndex) as string).trim();
		if (!path.isAbsolute(configFile))
			throw new NodeOperationError(ctx.getNode(), `"${configFile}" is not an absolute path`, {
				itemIndex,
				description: 'Give the full path of the compose file, e.g. /opt/stacks/media/compose.yaml',
			});
		yaml = readText(ctx, configFile, itemIndex, 'compose file');
		workingDir ??= path.dirname(configFile);
		const dotEnv = path.join(path.dirname(configFile), '.env');
		try {
			variables = parseDotEnv(readFileSync(dotEnv, 'utf8'));
		} catch {
			// no .env beside the file: fine
		}
	} else {
		yaml = ctx.getNodeParameter('composeYaml', itemIndex) as string;
		if (!yaml.trim())
			throw new NodeOperationError(ctx.getNode(), 'The compose YAML is empty', {
				itemIndex,
				description: 'Paste the compose file, starting with services:',
			});
	}
	if (options.envText) variables = { ...variables, ...parseDotEnv(options.envText) };
	variables = { ...variables, ...keyValues(ctx, 'variables', itemIndex) };
	const project = parseCompose(yaml, {
		projectName: stack,
		variables,
		workingDir,
		source: configFile ?? 'compose YAML',
		readFile: (file) => readText(ctx, file, itemIndex, 'env file'),
	});
	return { project, configFile, workingDir };
}
