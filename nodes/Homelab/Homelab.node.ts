import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as endpoint from './actions/endpoint';
import { router } from './actions/router';

export class Homelab implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Homelab',
		name: 'homelab',
		icon: { light: 'file:homelab.svg', dark: 'file:homelab.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Check that the services of your homelab answer and that their certificates are current',
		defaults: { name: 'Homelab' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Endpoint', value: 'endpoint' }],
				default: 'endpoint',
			},
			...endpoint.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
