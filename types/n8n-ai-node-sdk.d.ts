// The part of n8n's AI node SDK this pack uses. n8n (>= 2.x) ships `@n8n/ai-node-sdk` and puts its own
// node_modules on NODE_PATH for community packages, so it is resolved from the n8n install at run time; it is
// declared here instead of installed because the real package pulls LangChain (hundreds of MB) for types only.
// Mirrors @n8n/ai-node-sdk 0.31 (n8n 2.41) `dist/esm/index.d.ts`.
declare module '@n8n/ai-node-sdk' {
	import type { ISupplyDataFunctions, SupplyData } from 'n8n-workflow';

	export type MessageRole = 'system' | 'user' | 'assistant' | 'tool';
	export interface ContentMetadata {
		providerMetadata?: Record<string, unknown>;
	}
	export type ContentText = ContentMetadata & { type: 'text'; text: string };
	export type ContentReasoning = ContentMetadata & { type: 'reasoning'; text: string };
	export type ContentFile = ContentMetadata & { type: 'file'; mediaType?: string; data: string | Uint8Array };
	export type ContentToolCall = ContentMetadata & {
		type: 'tool-call';
		toolCallId?: string;
		toolName: string;
		input: string;
	};
	export type ContentToolResult = ContentMetadata & {
		type: 'tool-result';
		toolCallId: string;
		result: unknown;
		isError?: boolean;
	};
	export type ContentOther = ContentMetadata & { type: 'invalid-tool-call' | 'citation' | 'provider' };
	export type MessageContent =
		| ContentText
		| ContentReasoning
		| ContentFile
		| ContentToolCall
		| ContentToolResult
		| ContentOther;
	export interface Message {
		role: MessageRole;
		content: MessageContent[];
		name?: string;
		id?: string;
	}
	export type FinishReason = 'stop' | 'length' | 'content-filter' | 'tool-calls' | 'error' | 'other';
	export interface TokenUsage {
		promptTokens: number;
		completionTokens: number;
		totalTokens: number;
	}
	export interface GenerateResult {
		id?: string;
		finishReason?: FinishReason;
		usage?: TokenUsage;
		message: Message;
		providerMetadata?: Record<string, unknown>;
		rawResponse?: unknown;
	}
	export type StreamChunk = ContentMetadata &
		(
			| { type: 'text-delta'; id?: string; delta: string }
			| { type: 'reasoning-delta'; id?: string; delta: string }
			| { type: 'tool-call-delta'; id?: string; name?: string; argumentsDelta?: string }
			| { type: 'finish'; finishReason: FinishReason; usage?: TokenUsage }
			| { type: 'error'; error: unknown }
			| { type: 'content'; content: MessageContent; id?: string }
		);
	export interface FunctionTool {
		type: 'function';
		name: string;
		description?: string;
		inputSchema: unknown;
		strict?: boolean;
	}
	export interface ProviderTool {
		type: 'provider';
		name: string;
		args?: Record<string, unknown>;
	}
	export type Tool = FunctionTool | ProviderTool;
	export interface ChatModelConfig {
		maxTokens?: number;
		temperature?: number;
		topP?: number;
		topK?: number;
		stopSequences?: string[];
		seed?: number;
		timeout?: number;
		abortSignal?: AbortSignal;
		headers?: Record<string, string | undefined>;
	}
	export interface ChatModel<TConfig extends ChatModelConfig = ChatModelConfig> {
		provider: string;
		modelId: string;
		defaultConfig?: TConfig;
		generate(messages: Message[], config?: TConfig): Promise<GenerateResult>;
		stream(messages: Message[], config?: TConfig): AsyncIterable<StreamChunk>;
		withTools(tools: Tool[]): ChatModel<TConfig>;
	}
	export abstract class BaseChatModel<TConfig extends ChatModelConfig = ChatModelConfig>
		implements ChatModel<TConfig>
	{
		provider: string;
		modelId: string;
		defaultConfig?: TConfig;
		protected tools: Tool[];
		constructor(provider: string, modelId: string, defaultConfig?: TConfig, tools?: Tool[]);
		abstract generate(messages: Message[], config?: TConfig): Promise<GenerateResult>;
		abstract stream(messages: Message[], config?: TConfig): AsyncIterable<StreamChunk>;
		withTools(tools: Tool[]): ChatModel<TConfig>;
		protected mergeConfig(config?: TConfig): ChatModelConfig;
	}
	export function supplyModel(ctx: ISupplyDataFunctions, model: ChatModel): SupplyData;
	export function getParametersJsonSchema(tool: FunctionTool): Record<string, unknown>;
}
