import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as container from './actions/container';
import * as image from './actions/image';
import * as network from './actions/network';
import { router } from './actions/router';
import * as stack from './actions/stack';
import * as system from './actions/system';
import * as volume from './actions/volume';
import { credentialTest, listSearch } from './methods';

export class Docker implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Docker',
		name: 'docker',
		icon: { light: 'file:docker.svg', dark: 'file:docker.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Manage containers, images, networks, volumes and compose stacks on a Docker host',
		defaults: { name: 'Docker' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dockerHostApi', required: true, testedBy: 'dockerHostApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Container', value: 'container' },
					{ name: 'Image', value: 'image' },
					{ name: 'Network', value: 'network' },
					{ name: 'Stack', value: 'stack', description: 'Docker Compose projects' },
					{ name: 'System', value: 'system' },
					{ name: 'Volume', value: 'volume' },
				],
				default: 'container',
			},
			...container.description,
			...image.description,
			...network.description,
			...volume.description,
			...system.description,
			...stack.description,
		],
	};

	methods = { listSearch, credentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
