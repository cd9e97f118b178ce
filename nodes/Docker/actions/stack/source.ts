import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	loadComposeFile,
	parseComposeReading,
	parseDotEnv,
	type ComposeProject,
} from '../../../../clients/docker';
import { keyValueCollection, keyValues, type Show } from '../common';
import { n8nFileReader } from './host-files';

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

/** Reads and parses the compose file the parameters describe; ComposeErrors carry the YAML line. */
export async function loadCompose(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: { envText?: string; workingDir?: string } = {},
): Promise<{ project: ComposeProject; configFile?: string; workingDir?: string }> {
	const stack = (ctx.getNodeParameter('stack', itemIndex) as string).trim();
	const source = ctx.getNodeParameter('source', itemIndex, 'inline') as string;
	const workingDir = options.workingDir?.trim() || undefined;
	// the .env beside a compose file comes first, then Env File Contents, then Variables
	const overrides = {
		...(options.envText ? parseDotEnv(options.envText) : {}),
		...keyValues(ctx, 'variables', itemIndex),
	};
	if (source === 'path')
		return await loadComposeFile({
			composePath: (ctx.getNodeParameter('composePath', itemIndex) as string).trim(),
			projectName: stack,
			workingDir,
			overrides,
			readFile: n8nFileReader(ctx, itemIndex),
		});
	const yaml = ctx.getNodeParameter('composeYaml', itemIndex) as string;
	if (!yaml.trim())
		throw new NodeOperationError(ctx.getNode(), 'The compose YAML is empty', {
			itemIndex,
			description: 'Paste the compose file, starting with services:',
		});
	// absolute env_file: paths (or relative ones with a Working Directory) go through the same guarded reader
	const project = await parseComposeReading(yaml, n8nFileReader(ctx, itemIndex), {
		projectName: stack,
		variables: overrides,
		workingDir,
		source: 'compose YAML',
	});
	return { project, workingDir };
}
