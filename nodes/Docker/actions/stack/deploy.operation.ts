import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PullPolicy } from '../../../../clients/docker';
import { progressReporter, stackManager } from '../../transport';
import { show } from '../common';
import { composeSourceFields, loadCompose } from './source';

const showFor = show('stack', 'deploy');

export const description: INodeProperties[] = [
	...composeSourceFields(showFor),
	{
		displayName: 'Options',
		name: 'deployOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: showFor },
		options: [
			{
				displayName: 'Env File Contents',
				name: 'envText',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				placeholder: 'TZ=Europe/Berlin\nPUID=1000',
				description: 'Variables in .env format (Variables above override them)',
			},
			{
				displayName: 'Force Recreate',
				name: 'forceRecreate',
				type: 'boolean',
				default: false,
				description: 'Whether to recreate every container even when its configuration is unchanged',
			},
			{
				displayName: 'Pull Images',
				name: 'pull',
				type: 'options',
				default: 'missing',
				options: [
					{ name: 'When Missing', value: 'missing' },
					{ name: 'Always', value: 'always' },
					{ name: 'Never', value: 'never' },
				],
			},
			{
				displayName: 'Remove Orphans',
				name: 'removeOrphans',
				type: 'boolean',
				default: true,
				description: 'Whether to remove containers of services that are no longer in the file',
			},
			{
				displayName: 'Working Directory',
				name: 'workingDir',
				type: 'string',
				default: '',
				placeholder: '/opt/stacks/stack-media',
				description:
					'Folder on the Docker host that relative bind mounts (./config) resolve against; defaults to the compose file’s folder',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const options = this.getNodeParameter('deployOptions', itemIndex, {}) as {
		pull?: PullPolicy;
		removeOrphans?: boolean;
		forceRecreate?: boolean;
		envText?: string;
		workingDir?: string;
	};
	const { project, configFile, workingDir } = await loadCompose(this, itemIndex, options);
	const stacks = await stackManager(this, itemIndex);
	return (await stacks.deploy(project, {
		pull: options.pull ?? 'missing',
		removeOrphans: options.removeOrphans ?? true,
		forceRecreate: options.forceRecreate ?? false,
		configFile,
		workingDir,
		signal: this.getExecutionCancelSignal(),
		onProgress: progressReporter(this, `Deploying ${project.name}`),
	})) as unknown as IDataObject;
}
