import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as embedding from './actions/embedding';
import * as model from './actions/model';
import { router } from './actions/router';
import * as text from './actions/text';
import { listSearch } from './methods';

export class Ollama implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ollama (Homelab)',
		name: 'ollama',
		icon: { light: 'file:ollama.svg', dark: 'file:ollama.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Chat, generate and embed with local Ollama models: structured output, tools, vision, no time limit',
		defaults: { name: 'Ollama' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ollamaApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Embedding', value: 'embedding' },
					{ name: 'Model', value: 'model' },
					{ name: 'Text', value: 'text' },
				],
				default: 'text',
			},
			...text.description,
			...embedding.description,
			...model.description,
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
