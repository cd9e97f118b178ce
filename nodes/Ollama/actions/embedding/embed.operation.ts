import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ollamaClient, toNodeError } from '../../transport';
import { modelLocator, readJsonParameter, readModel, readModelSettings, timeoutOption } from '../common';

const showFor = { resource: ['embedding'], operation: ['embed'] };

export const description: INodeProperties[] = [
	modelLocator(showFor),
	{
		displayName: 'Input',
		name: 'inputMode',
		type: 'options',
		options: [
			{ name: 'One Text', value: 'single', description: 'Embed one text per input item' },
			{
				name: 'List of Texts',
				value: 'batch',
				description: 'Embed a list of texts in one request; one output item per text',
			},
		],
		default: 'single',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
		displayOptions: { show: { ...showFor, inputMode: ['single'] } },
	},
	{
		displayName: 'Texts (JSON)',
		name: 'texts',
		type: 'json',
		required: true,
		default: '[]',
		description: 'A JSON array of strings, e.g. {{ $JSON.chunks }}',
		displayOptions: { show: { ...showFor, inputMode: ['batch'] } },
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
				displayName: 'Dimensions',
				name: 'dimensions',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 768,
				description: 'Shorten the vectors to this many dimensions (models that support it)',
			},
			{
				displayName: 'Keep Alive',
				name: 'keepAlive',
				type: 'string',
				default: '',
				placeholder: '5m',
				description: 'How long the model stays loaded after this request; empty: the server default',
			},
			timeoutOption,
			{
				displayName: 'Truncate',
				name: 'truncate',
				type: 'boolean',
				default: true,
				description: 'Whether texts longer than the context are cut (otherwise Ollama answers with an error)',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const model = readModel.call(this, itemIndex);
	const mode = this.getNodeParameter('inputMode', itemIndex, 'single') as string;
	let texts: string[];
	if (mode === 'batch') {
		const value = readJsonParameter.call(this, itemIndex, 'texts', 'Texts', [] as unknown);
		if (!Array.isArray(value) || value.some((text) => typeof text !== 'string')) {
			throw new NodeOperationError(this.getNode(), 'Texts must be a JSON array of strings', { itemIndex });
		}
		texts = value as string[];
	} else {
		texts = [this.getNodeParameter('text', itemIndex) as string];
	}
	if (texts.length === 0) {
		throw new NodeOperationError(this.getNode(), 'Nothing to embed: the list of texts is empty', {
			itemIndex,
		});
	}
	const settings = readModelSettings.call(this, itemIndex);
	const truncate = this.getNodeParameter('options.truncate', itemIndex, true) as boolean;
	const dimensions = this.getNodeParameter('options.dimensions', itemIndex, 0) as number;
	const client = await ollamaClient.call(this, { timeoutMs: settings.timeoutMs });
	let embeddings: number[][];
	try {
		const result = await client.embed({
			model,
			input: texts,
			truncate,
			...(dimensions ? { dimensions } : {}),
			...(settings.keepAlive !== undefined ? { keep_alive: settings.keepAlive } : {}),
		});
		embeddings = result.embeddings;
	} catch (error) {
		throw toNodeError(this.getNode(), error, itemIndex, client.baseUrl);
	}
	return texts.map((text, index) => ({
		...(mode === 'batch' ? { index } : {}),
		text,
		model,
		dimensions: embeddings[index]?.length ?? 0,
		embedding: embeddings[index],
	}));
}
