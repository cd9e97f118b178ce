import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseStructured } from '../../../../clients/ollama';
import { ollamaClient, toNodeError } from '../../transport';
import { modelLocator, modelOptions, readImages, readModel, readModelSettings } from '../common';

const showFor = { resource: ['text'], operation: ['generate'] };

export const description: INodeProperties[] = [
	modelLocator(showFor),
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		description: 'The prompt to complete (no chat history)',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: showFor },
		options: [
			{
				displayName: 'Image Binary Properties',
				name: 'images',
				type: 'string',
				default: '',
				placeholder: 'data',
				description: 'Comma-separated binary properties with images for a vision model',
			},
			{
				displayName: 'JSON Mode',
				name: 'jsonMode',
				type: 'boolean',
				default: false,
				description: 'Whether the answer must be JSON; it is parsed into "data"',
			},
			...modelOptions,
			{
				displayName: 'System Prompt',
				name: 'system',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				description: "Overrides the model's system prompt",
			},
			{
				displayName: 'Think',
				name: 'think',
				type: 'boolean',
				default: false,
				description: 'Whether a thinking model reasons first; the reasoning is returned as "thinking"',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const model = readModel.call(this, itemIndex);
	const prompt = this.getNodeParameter('prompt', itemIndex) as string;
	const system = this.getNodeParameter('options.system', itemIndex, '') as string;
	const jsonMode = this.getNodeParameter('options.jsonMode', itemIndex, false) as boolean;
	const think = this.getNodeParameter('options.think', itemIndex, false) as boolean;
	const imageProperties = this.getNodeParameter('options.images', itemIndex, '') as string;
	const settings = readModelSettings.call(this, itemIndex);
	const images = imageProperties ? await readImages.call(this, itemIndex, imageProperties) : [];
	const client = await ollamaClient.call(this, { timeoutMs: settings.timeoutMs });
	let result;
	try {
		result = await client.generate({
			model,
			prompt,
			...(system ? { system } : {}),
			...(images.length ? { images } : {}),
			...(jsonMode ? { format: 'json' as const } : {}),
			...(think ? { think } : {}),
			options: settings.options,
			...(settings.keepAlive !== undefined ? { keep_alive: settings.keepAlive } : {}),
		});
	} catch (error) {
		throw toNodeError(this.getNode(), error, itemIndex, client.baseUrl);
	}
	let data: IDataObject | undefined;
	if (jsonMode) {
		const parsed = parseStructured(result.response, undefined);
		if (!parsed.ok) {
			throw new NodeOperationError(
				this.getNode(),
				`The model's answer is not JSON: ${parsed.problems.join('; ')}`,
				{
					itemIndex,
					description: `Answer: ${parsed.raw.slice(0, 500)}`,
				},
			);
		}
		data = parsed.value as IDataObject;
	}
	return {
		model: result.model,
		response: result.response,
		...(data !== undefined ? { data } : {}),
		...(result.thinking ? { thinking: result.thinking } : {}),
		doneReason: result.doneReason ?? null,
		promptEvalCount: result.promptEvalCount ?? null,
		evalCount: result.evalCount ?? null,
		totalDurationMs: result.totalDurationMs ?? null,
		tokensPerSecond: result.tokensPerSecond ?? null,
	};
}
