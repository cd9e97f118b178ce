import type { IDataObject, IExecuteFunctions, INodeProperties, ISupplyDataFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { splitList } from '../../../shared/values';
import type { ModelOptions } from '../../../clients/ollama';

type Show = Record<string, string[]>;

/** The model picker: a searchable list of the server's models, or a name typed in. */
export function modelLocator(show: Show, displayName = 'Model', name = 'model'): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'A model pulled on the Ollama server',
		displayOptions: { show },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchModels', searchable: true },
			},
			{
				displayName: 'By Name',
				name: 'name',
				type: 'string',
				placeholder: 'llama3.2:latest',
			},
		],
	};
}

export function readModel(
	this: IExecuteFunctions | ISupplyDataFunctions,
	itemIndex: number,
	name = 'model',
): string {
	const value = this.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	const model = typeof value === 'string' ? value.trim() : '';
	if (!model) {
		throw new NodeOperationError(this.getNode(), 'No model chosen', {
			itemIndex,
			description: 'Pick a model from the list or type its name, e.g. llama3.2:latest',
		});
	}
	return model;
}

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Ms)',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: 0,
	description:
		'Give up when Ollama has not finished after this many milliseconds. 0 waits as long as it takes (big models on modest hardware can need many minutes); stopping the workflow always cancels the request.',
};

/** Sampling and memory options shared by chat, generate and embed (docs/api.md "options", "keep_alive"). */
export const modelOptions: INodeProperties[] = [
	{
		displayName: 'Keep Alive',
		name: 'keepAlive',
		type: 'string',
		default: '',
		placeholder: '5m',
		description:
			'How long the model stays loaded after this request, e.g. 10m, 1h, 0 to unload at once, -1 to keep it loaded; empty: the server default (5m)',
	},
	{
		displayName: 'Context Window (Num_ctx)',
		name: 'numCtx',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 4096,
		description: 'Tokens of context the model works with',
	},
	{
		displayName: 'Max Tokens (Num_predict)',
		name: 'numPredict',
		type: 'number',
		default: -1,
		description: 'Most tokens to generate; -1: no limit',
	},
	{
		displayName: 'Seed',
		name: 'seed',
		type: 'number',
		default: 0,
		description: 'Fixed seed for reproducible answers',
	},
	{
		displayName: 'Temperature',
		name: 'temperature',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 2 },
		default: 0.8,
		description: 'Higher is more creative, lower more deterministic',
	},
	timeoutOption,
	{
		displayName: 'Top P',
		name: 'topP',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
		default: 0.9,
		description: 'Nucleus sampling: consider the smallest set of tokens whose probability adds up to this',
	},
];

export interface ModelSettings {
	options: Partial<ModelOptions>;
	keepAlive?: string | number;
	timeoutMs: number;
}

/** Reads the "Options" collection into Ollama's `options`, `keep_alive` and the client timeout. */
export function readModelSettings(
	this: IExecuteFunctions | ISupplyDataFunctions,
	itemIndex: number,
): ModelSettings {
	const raw: IDataObject = this.getNodeParameter('options', itemIndex, {});
	const options: Partial<ModelOptions> = {};
	if (raw.temperature !== undefined) options.temperature = Number(raw.temperature);
	if (raw.numCtx !== undefined) options.num_ctx = Number(raw.numCtx);
	if (raw.seed !== undefined) options.seed = Number(raw.seed);
	if (raw.topP !== undefined) options.top_p = Number(raw.topP);
	if (raw.numPredict !== undefined) options.num_predict = Number(raw.numPredict);
	let keepAlive: string | number | undefined;
	const keep =
		typeof raw.keepAlive === 'string' || typeof raw.keepAlive === 'number'
			? String(raw.keepAlive).trim()
			: '';
	if (keep) keepAlive = /^-?\d+$/.test(keep) ? Number(keep) : keep;
	return { options, keepAlive, timeoutMs: Number(raw.timeout ?? 0) };
}

/** Base64 of the image binaries named (comma-separated) for a vision model. */
export async function readImages(
	this: IExecuteFunctions,
	itemIndex: number,
	propertyNames: string,
): Promise<string[]> {
	const names = splitList(propertyNames);
	const item = this.getInputData()[itemIndex];
	const images: string[] = [];
	for (const name of names) {
		const binary = item.binary?.[name];
		if (!binary) {
			throw new NodeOperationError(this.getNode(), `The input item has no binary property "${name}"`, {
				itemIndex,
				description: `Binary properties of this item: ${Object.keys(item.binary ?? {}).join(', ') || 'none'}`,
			});
		}
		if (binary.mimeType && !binary.mimeType.startsWith('image/')) {
			throw new NodeOperationError(
				this.getNode(),
				`The binary property "${name}" is ${binary.mimeType}, not an image`,
				{ itemIndex, description: 'Vision models accept PNG or JPEG images' },
			);
		}
		const buffer = await this.helpers.getBinaryDataBuffer(itemIndex, name);
		images.push(buffer.toString('base64'));
	}
	return images;
}

/** A JSON parameter that may arrive as text or, from an expression, already parsed. */
export function readJsonParameter<T>(
	this: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
	fallback: T,
): T {
	const raw = this.getNodeParameter(name, itemIndex, fallback) as unknown;
	if (typeof raw !== 'string') return (raw ?? fallback) as T;
	if (!raw.trim()) return fallback;
	try {
		return JSON.parse(raw) as T;
	} catch (error) {
		throw new NodeOperationError(this.getNode(), `${label} is not valid JSON: ${(error as Error).message}`, {
			itemIndex,
		});
	}
}
