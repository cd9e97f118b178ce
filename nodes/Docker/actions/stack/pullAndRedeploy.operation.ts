import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { progressReporter, stackManager } from '../../transport';
import { show } from '../common';
import { composeSourceFields, loadCompose } from './source';

const showFor = show('stack', 'pullAndRedeploy');

export const description: INodeProperties[] = [
	...composeSourceFields(showFor),
	{
		displayName: 'Options',
		name: 'redeployOptions',
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
				description: 'Variables in .env format (Variables above override them)',
			},
			{
				displayName: 'Ignore Pull Failures',
				name: 'ignorePullFailures',
				type: 'boolean',
				default: false,
				description:
					'Whether a failed pull of an image that is already on the host only warns (e.g. locally built images)',
			},
			{
				displayName: 'Working Directory',
				name: 'workingDir',
				type: 'string',
				default: '',
				description: 'Folder on the Docker host that relative bind mounts resolve against',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const options = this.getNodeParameter('redeployOptions', itemIndex, {}) as {
		ignorePullFailures?: boolean;
		envText?: string;
		workingDir?: string;
	};
	const { project, configFile, workingDir } = await loadCompose(this, itemIndex, options);
	const stacks = await stackManager(this, itemIndex);
	return (await stacks.deploy(project, {
		pull: 'always',
		ignorePullFailures: options.ignorePullFailures ?? false,
		removeOrphans: true,
		configFile,
		workingDir,
		signal: this.getExecutionCancelSignal(),
		onProgress: progressReporter(this, `Pulling and redeploying ${project.name}`),
	})) as unknown as IDataObject;
}
