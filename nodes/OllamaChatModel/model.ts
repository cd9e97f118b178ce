import {
	BaseChatModel,
	getParametersJsonSchema,
	type ChatModelConfig,
	type GenerateResult,
	type Message as SdkMessage,
	type MessageContent,
	type StreamChunk,
} from '@n8n/ai-node-sdk';
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	OllamaError,
	type ChatResult,
	type Message,
	type ModelOptions,
	type OllamaClient,
	type Tool,
} from '../../clients/ollama';
import { toNodeError } from '../Ollama/transport';

export interface OllamaModelSettings {
	options: Partial<ModelOptions>;
	keepAlive?: string | number;
	think?: boolean;
}

function base64(data: string | Uint8Array): string {
	return typeof data === 'string'
		? data.replace(/^data:[^;]+;base64,/, '')
		: Buffer.from(data).toString('base64');
}

function resultText(result: unknown): string {
	return typeof result === 'string' ? result : JSON.stringify(result);
}

/** SDK messages (what n8n's agent speaks) -> Ollama /api/chat messages. */
export function toOllamaMessages(messages: SdkMessage[]): Message[] {
	const out: Message[] = [];
	for (const message of messages) {
		const text: string[] = [];
		const images: string[] = [];
		const toolCalls: NonNullable<Message['tool_calls']> = [];
		for (const part of message.content) {
			if (part.type === 'text') text.push(part.text);
			else if (part.type === 'file' && (part.mediaType ?? '').startsWith('image/'))
				images.push(base64(part.data));
			else if (part.type === 'tool-call') {
				let args: Record<string, unknown> = {};
				try {
					args = JSON.parse(part.input || '{}') as Record<string, unknown>;
				} catch {
					args = { input: part.input };
				}
				toolCalls.push({ function: { name: part.toolName, arguments: args } });
			} else if (part.type === 'tool-result') {
				// Ollama takes each tool result as its own message with role "tool".
				out.push({ role: 'tool', content: resultText(part.result) });
			}
		}
		if (message.role === 'tool') continue;
		if (!text.length && !images.length && !toolCalls.length) continue;
		out.push({
			role: message.role,
			content: text.join('\n'),
			...(images.length ? { images } : {}),
			...(toolCalls.length ? { tool_calls: toolCalls } : {}),
		});
	}
	return out;
}

/** The answer as an SDK message: reasoning, text and tool calls in that order. */
function toSdkResult(result: ChatResult): GenerateResult {
	const content: MessageContent[] = [];
	if (result.thinking) content.push({ type: 'reasoning', text: result.thinking });
	if (result.content) content.push({ type: 'text', text: result.content });
	result.toolCalls.forEach((call, index) =>
		content.push({
			type: 'tool-call',
			toolCallId: `call_${index}_${call.function.name}`,
			toolName: call.function.name,
			input: JSON.stringify(call.function.arguments ?? {}),
		}),
	);
	const promptTokens = result.promptEvalCount ?? 0;
	const completionTokens = result.evalCount ?? 0;
	return {
		finishReason: result.toolCalls.length ? 'tool-calls' : 'stop',
		usage: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens },
		message: { role: 'assistant', content },
	};
}

/**
 * An Ollama model for n8n's AI Agent and chains, on this pack's Ollama client: no 5-minute cap, cancelled
 * when the execution stops, clear errors (missing model -> the exact `ollama pull` command).
 */
export class OllamaChatModel extends BaseChatModel {
	constructor(
		private readonly node: INode,
		private readonly client: OllamaClient,
		model: string,
		private readonly settings: OllamaModelSettings,
	) {
		super('ollama', model);
	}

	private ollamaTools(): Tool[] {
		return this.tools.flatMap((tool) =>
			tool.type === 'function'
				? [
						{
							type: 'function',
							function: {
								name: tool.name,
								description: tool.description ?? '',
								parameters: getParametersJsonSchema(tool) as Tool['function']['parameters'],
							},
						},
					]
				: [],
		);
	}

	async generate(messages: SdkMessage[], config?: ChatModelConfig): Promise<GenerateResult> {
		const merged = this.mergeConfig(config);
		const options: Partial<ModelOptions> = { ...this.settings.options };
		if (merged.temperature !== undefined) options.temperature = merged.temperature;
		if (merged.topP !== undefined) options.top_p = merged.topP;
		if (merged.seed !== undefined) options.seed = merged.seed;
		if (merged.maxTokens !== undefined) options.num_predict = merged.maxTokens;
		if (merged.stopSequences?.length) options.stop = merged.stopSequences;
		const tools = this.ollamaTools();
		try {
			const result = await this.client.chat({
				model: this.modelId,
				messages: toOllamaMessages(messages),
				...(tools.length ? { tools } : {}),
				...(this.settings.think !== undefined ? { think: this.settings.think } : {}),
				...(this.settings.keepAlive ? { keep_alive: this.settings.keepAlive } : {}),
				options,
			});
			return toSdkResult(result);
		} catch (error) {
			// The agent shows only an error's message: carry the hint (e.g. the `ollama pull` command) in it.
			if (error instanceof OllamaError && error.hint) {
				throw new NodeOperationError(this.node, `${error.message}. ${error.hint}`);
			}
			throw toNodeError(this.node, error, undefined, this.client.baseUrl);
		}
	}

	async *stream(messages: SdkMessage[], config?: ChatModelConfig): AsyncIterable<StreamChunk> {
		// The client assembles Ollama's NDJSON stream; the agent gets the whole answer as one chunk.
		const result = await this.generate(messages, config);
		for (const part of result.message.content) {
			if (part.type === 'text') yield { type: 'text-delta', delta: part.text };
			else if (part.type === 'reasoning') yield { type: 'reasoning-delta', delta: part.text };
			else yield { type: 'content', content: part };
		}
		yield { type: 'finish', finishReason: result.finishReason ?? 'stop', usage: result.usage };
	}
}
