import { supplyModel } from '@n8n/ai-node-sdk';
import type { INodeType, INodeTypeDescription, ISupplyDataFunctions, SupplyData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { modelLocator, modelOptions, readModel, readModelSettings } from '../Ollama/actions/common';
import { searchModels } from '../Ollama/methods/listSearch';
import { ollamaClient } from '../Ollama/transport';
import { OllamaChatModel as OllamaSdkModel } from './model';

export class OllamaChatModel implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ollama Chat Model (Homelab)',
		name: 'ollamaChatModel',
		icon: { light: 'file:../Ollama/ollama.svg', dark: 'file:../Ollama/ollama.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["model"].value || $parameter["model"]}}',
		description: 'A local Ollama model for the AI Agent and chains: no time limit, cancelled on stop',
		defaults: { name: 'Ollama Chat Model' },
		codex: {
			categories: ['AI'],
			subcategories: {
				AI: ['Language Models', 'Root Nodes'],
				'Language Models': ['Chat Models (Recommended)'],
			},
		},
		// A language model is plugged into an agent, not called by one: no tool variant.
		inputs: [],
		outputs: [NodeConnectionTypes.AiLanguageModel],
		outputNames: ['Model'],
		credentials: [{ name: 'ollamaApi', required: true }],
		properties: [
			modelLocator({}),
			{
				displayName: 'Think',
				name: 'think',
				type: 'boolean',
				default: false,
				description: 'Whether a thinking model should reason before answering (ignored by other models)',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: modelOptions,
			},
		],
	};

	methods = { listSearch: { searchModels } };

	async supplyData(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
		const model = readModel.call(this, itemIndex);
		const settings = readModelSettings.call(this, itemIndex);
		const client = await ollamaClient.call(this, { timeoutMs: settings.timeoutMs });
		const think = this.getNodeParameter('think', itemIndex, false) as boolean;
		return supplyModel(
			this,
			new OllamaSdkModel(this.getNode(), client, model, {
				options: settings.options,
				keepAlive: settings.keepAlive,
				think: think || undefined,
			}),
		);
	}
}
