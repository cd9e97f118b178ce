import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ChatResult, JsonSchema, Message, OutputField, Tool } from '../../../../clients/ollama';
import { schemaFromFields } from '../../../../clients/ollama';
import { ollamaClient, toNodeError } from '../../transport';
import {
	modelLocator,
	modelOptions,
	readImages,
	readJsonParameter,
	readModel,
	readModelSettings,
} from '../common';

const showFor = { resource: ['text'], operation: ['chat'] };

export const description: INodeProperties[] = [
	modelLocator(showFor),
	{
		displayName: 'Message',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder: 'Summarise this e-mail: {{ $json.text }}',
		description: 'The user message to answer',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Response Format',
		name: 'responseFormat',
		type: 'options',
		options: [
			{ name: 'Text', value: 'text', description: 'Free text' },
			{ name: 'JSON', value: 'json', description: 'Any JSON value, parsed' },
			{
				name: 'JSON Schema',
				value: 'jsonSchema',
				description: 'JSON matching a schema you give, parsed and validated',
			},
			{
				name: 'Defined Fields',
				value: 'fields',
				description: 'An object with the fields you list, parsed and validated',
			},
		],
		default: 'text',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'JSON Schema',
		name: 'jsonSchema',
		type: 'json',
		default:
			'{\n  "type": "object",\n  "properties": {\n    "summary": { "type": "string" }\n  },\n  "required": ["summary"]\n}',
		description:
			'The schema the answer must match (Ollama constrains generation with it, the node validates it)',
		displayOptions: { show: { ...showFor, responseFormat: ['jsonSchema'] } },
	},
	{
		displayName: 'Fields',
		name: 'outputFields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: { ...showFor, responseFormat: ['fields'] } },
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{
						displayName: 'Allowed Values',
						name: 'enumValues',
						type: 'string',
						default: '',
						placeholder: 'low, medium, high',
						description: 'Comma-separated values a string field may take;	empty:	any',
					},
					{
						displayName: 'Description',
						name: 'description',
						type: 'string',
						default: '',
					},
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
					},
					{
						displayName: 'Required',
						name: 'required',
						type: 'boolean',
						default: true,
					},
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						options: [
							{
								name: 'Boolean',
								value: 'boolean',
							},
							{
								name: 'Integer',
								value: 'integer',
							},
							{
								name: 'List of Numbers',
								value: 'numberArray',
							},
							{
								name: 'List of Strings',
								value: 'stringArray',
							},
							{
								name: 'Number',
								value: 'number',
							},
							{
								name: 'Object',
								value: 'object',
							},
							{
								name: 'String',
								value: 'string',
							},
						],
						default: 'string',
					},
				],
			},
		],
	},
	{
		displayName: 'Retries on Invalid Output',
		name: 'structuredRetries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 10 },
		default: 2,
		description:
			'How many more times to ask when the answer is not valid JSON or breaks the schema (the model is told what was wrong)',
		displayOptions: { show: { ...showFor, responseFormat: ['json', 'jsonSchema', 'fields'] } },
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
				placeholder: 'data, photo',
				description:
					'Comma-separated binary properties of the input item with images for a vision model (e.g. qwen3-vl, llava)',
			},
			...modelOptions,
			{
				displayName: 'Previous Messages (JSON)',
				name: 'history',
				type: 'json',
				default: '[]',
				description:
					'Conversation so far, as [{"role": "user" | "assistant" | "tool", "content": "..."}], sent before the message',
			},
			{
				displayName: 'System Prompt',
				name: 'systemPrompt',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				description: 'Instructions sent as the system message',
			},
			{
				displayName: 'Think',
				name: 'think',
				type: 'boolean',
				default: false,
				description: 'Whether a thinking model reasons first; the reasoning is returned as "thinking"',
			},
			{
				displayName: 'Tools (JSON)',
				name: 'tools',
				type: 'json',
				default: '[]',
				description:
					'Tools the model may call, in Ollama\'s format [{"type": "function", "function": {"name", "description", "parameters"}}]; the calls are returned in "toolCalls"',
			},
		],
	},
];

function readHistory(this: IExecuteFunctions, itemIndex: number): Message[] {
	const history = readJsonParameter.call(
		this,
		itemIndex,
		'options.history',
		'Previous Messages',
		[] as unknown,
	);
	if (!Array.isArray(history)) {
		throw new NodeOperationError(this.getNode(), 'Previous Messages must be a JSON array of messages', {
			itemIndex,
		});
	}
	return history.map((entry, index) => {
		const message = entry as Partial<Message>;
		if (!message || typeof message.role !== 'string' || typeof (message.content ?? '') !== 'string') {
			throw new NodeOperationError(
				this.getNode(),
				`Previous Messages entry ${index + 1} needs a "role" and a text "content"`,
				{ itemIndex },
			);
		}
		return { ...message, role: message.role, content: message.content ?? '' } as Message;
	});
}

function readSchema(this: IExecuteFunctions, itemIndex: number, format: string): JsonSchema | undefined {
	if (format === 'jsonSchema') {
		const schema = readJsonParameter.call(this, itemIndex, 'jsonSchema', 'JSON Schema', {} as unknown);
		if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
			throw new NodeOperationError(this.getNode(), 'JSON Schema must be a JSON object', { itemIndex });
		}
		return schema as JsonSchema;
	}
	if (format === 'fields') {
		const fields = (this.getNodeParameter('outputFields.field', itemIndex, []) as OutputField[]) ?? [];
		try {
			return schemaFromFields(fields);
		} catch (error) {
			throw new NodeOperationError(this.getNode(), `Fields: ${(error as Error).message}`, { itemIndex });
		}
	}
	return undefined;
}

function output(result: ChatResult): IDataObject {
	return {
		model: result.model,
		content: result.content,
		...(result.thinking ? { thinking: result.thinking } : {}),
		toolCalls: result.toolCalls.map((call) => ({
			name: call.function.name,
			arguments: call.function.arguments as IDataObject,
		})),
		message: {
			role: 'assistant',
			content: result.content,
			...(result.toolCalls.length ? { tool_calls: result.toolCalls as unknown as IDataObject[] } : {}),
		},
		doneReason: result.doneReason ?? null,
		promptEvalCount: result.promptEvalCount ?? null,
		evalCount: result.evalCount ?? null,
		totalDurationMs: result.totalDurationMs ?? null,
		tokensPerSecond: result.tokensPerSecond ?? null,
	};
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const model = readModel.call(this, itemIndex);
	const prompt = this.getNodeParameter('prompt', itemIndex) as string;
	const format = this.getNodeParameter('responseFormat', itemIndex, 'text') as string;
	const systemPrompt = this.getNodeParameter('options.systemPrompt', itemIndex, '') as string;
	const think = this.getNodeParameter('options.think', itemIndex, false) as boolean;
	const imageProperties = this.getNodeParameter('options.images', itemIndex, '') as string;
	const tools = readJsonParameter.call(this, itemIndex, 'options.tools', 'Tools', [] as Tool[]);
	if (!Array.isArray(tools)) {
		throw new NodeOperationError(this.getNode(), 'Tools must be a JSON array of tool definitions', {
			itemIndex,
		});
	}
	const settings = readModelSettings.call(this, itemIndex);
	const schema = readSchema.call(this, itemIndex, format);
	const images = imageProperties ? await readImages.call(this, itemIndex, imageProperties) : [];

	const messages: Message[] = [
		...(systemPrompt ? [{ role: 'system', content: systemPrompt }] : []),
		...readHistory.call(this, itemIndex),
		{ role: 'user', content: prompt, ...(images.length ? { images } : {}) },
	];
	const input = {
		model,
		messages,
		...(tools.length ? { tools } : {}),
		...(think ? { think } : {}),
		options: settings.options,
		...(settings.keepAlive !== undefined ? { keep_alive: settings.keepAlive } : {}),
	};
	const client = await ollamaClient.call(this, { timeoutMs: settings.timeoutMs });
	try {
		if (format === 'text') return output(await client.chat(input));
		const retries = this.getNodeParameter('structuredRetries', itemIndex, 2) as number;
		const result = await client.chatStructured(input, schema, retries);
		return {
			...output(result),
			data: result.data as IDataObject,
			attempts: result.attempts,
			...(result.failedAttempts.length
				? { failedAttempts: result.failedAttempts as unknown as IDataObject[] }
				: {}),
		};
	} catch (error) {
		throw toNodeError(this.getNode(), error, itemIndex, client.baseUrl);
	}
}
