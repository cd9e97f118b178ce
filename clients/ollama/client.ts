// `ollama/browser` is the package's build without the Node file-system helpers: the Node build reads any
// image string that happens to be an existing path from the local disk, which a workflow must never be able
// to make n8n do. The transport is our node:http fetch (no 5-minute cap, cancellable).
import type {
	ChatRequest,
	EmbedRequest,
	EmbedResponse,
	GenerateRequest,
	ListResponse,
	Message,
	ShowResponse,
	Tool,
	ToolCall,
} from 'ollama/dist/browser.cjs';
import { Ollama } from 'ollama/dist/browser.cjs';

import { OllamaError, toOllamaError } from './errors';
import { createNodeFetch } from './node-fetch';
import type { JsonSchema, JsonValue } from './schema';
import { parseStructured } from './schema';

export type { Message, Tool, ToolCall };

export const DEFAULT_BASE_URL = 'http://127.0.0.1:11434';

export interface OllamaClientOptions {
	baseUrl?: string;
	/** Sent as `Authorization: Bearer <apiKey>` (for a reverse proxy or ollama.com). */
	apiKey?: string;
	/** Extra headers for a proxy in front of Ollama. */
	headers?: Record<string, string>;
	/** Limit for one request, in ms; 0 or undefined: no limit (the default, generation can take long). */
	timeoutMs?: number;
	/** Cancels every request of this client (n8n: the execution's cancel signal). */
	signal?: AbortSignal;
}

export type ModelOptions = NonNullable<ChatRequest['options']>;

export interface ChatInput {
	model: string;
	messages: Message[];
	format?: 'json' | JsonSchema;
	tools?: Tool[];
	think?: boolean;
	options?: Partial<ModelOptions>;
	keep_alive?: string | number;
}

export interface GenerateInput {
	model: string;
	prompt: string;
	system?: string;
	images?: string[];
	format?: 'json' | JsonSchema;
	think?: boolean;
	options?: Partial<ModelOptions>;
	keep_alive?: string | number;
}

export interface Stats {
	doneReason?: string;
	totalDurationMs?: number;
	loadDurationMs?: number;
	promptEvalCount?: number;
	evalCount?: number;
	tokensPerSecond?: number;
}

export interface ChatResult extends Stats {
	model: string;
	content: string;
	thinking?: string;
	toolCalls: ToolCall[];
	/** How many NDJSON chunks the answer arrived in. */
	chunks: number;
}

export interface GenerateResult extends Stats {
	model: string;
	response: string;
	thinking?: string;
	chunks: number;
}

export interface PullProgress {
	status: string;
	digest?: string;
	total?: number;
	completed?: number;
	percent?: number;
	attempt: number;
}

export interface PullResult {
	model: string;
	status: string;
	attempts: number;
	/** Bytes already present when a later attempt resumed, per layer digest. */
	resumed: Record<string, number>;
}

export interface StructuredAttempt {
	attempt: number;
	problems: string[];
	raw: string;
}

export interface StructuredChatResult extends ChatResult {
	data: JsonValue;
	attempts: number;
	failedAttempts: StructuredAttempt[];
}

interface FinalChunk {
	done_reason?: string;
	total_duration?: number;
	load_duration?: number;
	prompt_eval_count?: number;
	eval_count?: number;
	eval_duration?: number;
}

const NS_PER_MS = 1e6;

function stats(chunk: FinalChunk | undefined): Stats {
	if (!chunk) return {};
	const round = (ns: number | undefined) => (ns === undefined ? undefined : Math.round(ns / NS_PER_MS));
	return {
		doneReason: chunk.done_reason,
		totalDurationMs: round(chunk.total_duration),
		loadDurationMs: round(chunk.load_duration),
		promptEvalCount: chunk.prompt_eval_count,
		evalCount: chunk.eval_count,
		tokensPerSecond:
			chunk.eval_count && chunk.eval_duration
				? Math.round((chunk.eval_count / chunk.eval_duration) * 1e9 * 100) / 100
				: undefined,
	};
}

/** Typed Ollama client: one instance per execution (it carries that execution's cancel signal). */
export class OllamaClient {
	readonly baseUrl: string;
	private readonly api: Ollama;

	constructor(options: OllamaClientOptions = {}) {
		const raw = (options.baseUrl ?? DEFAULT_BASE_URL).trim().replace(/\/+$/, '');
		const parsed = URL.canParse(raw) ? new URL(raw) : undefined;
		if (!parsed) {
			throw new OllamaError('badRequest', `"${raw}" is not a valid Ollama base URL`, {
				hint: 'Write it like http://127.0.0.1:11434 (or http://host.docker.internal:11434 when n8n runs in Docker).',
			});
		}
		if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
			throw new OllamaError(
				'badRequest',
				`The Ollama base URL must start with http:// or https://, not ${parsed.protocol}`,
			);
		}
		this.baseUrl = raw;
		const headers: Record<string, string> = { ...(options.headers ?? {}) };
		if (options.apiKey) headers.Authorization = `Bearer ${options.apiKey}`;
		this.api = new Ollama({
			host: raw,
			headers,
			fetch: createNodeFetch({ signal: options.signal, timeoutMs: options.timeoutMs }),
		});
	}

	private async call<T>(model: string | undefined, run: () => Promise<T>): Promise<T> {
		try {
			return await run();
		} catch (error) {
			throw toOllamaError(error, this.baseUrl, model);
		}
	}

	/** POST /api/chat, streamed (NDJSON) and assembled into one answer. */
	async chat(input: ChatInput): Promise<ChatResult> {
		return await this.call(input.model, async () => {
			const stream = await this.api.chat({ ...input, stream: true } as ChatRequest & { stream: true });
			let content = '';
			let thinking = '';
			const toolCalls: ToolCall[] = [];
			let chunks = 0;
			let last: FinalChunk | undefined;
			let model = input.model;
			for await (const chunk of stream) {
				chunks++;
				model = chunk.model ?? model;
				content += chunk.message?.content ?? '';
				thinking += chunk.message?.thinking ?? '';
				toolCalls.push(...(chunk.message?.tool_calls ?? []));
				if (chunk.done) last = chunk;
			}
			return {
				model,
				content,
				...(thinking ? { thinking } : {}),
				toolCalls,
				chunks,
				...stats(last),
			};
		});
	}

	/**
	 * Chat whose answer must be JSON matching `schema`. An answer that does not parse or validate is shown to
	 * the model with what was wrong, up to `retries` more times; then an OllamaError lists every attempt.
	 */
	async chatStructured(
		input: ChatInput,
		schema: JsonSchema | undefined,
		retries: number,
	): Promise<StructuredChatResult> {
		const failedAttempts: StructuredAttempt[] = [];
		const messages = [...input.messages];
		for (let attempt = 1; attempt <= retries + 1; attempt++) {
			const result = await this.chat({ ...input, messages, format: schema ?? 'json' });
			// A model that calls a tool answers with tool_calls instead of content: hand those back as they are.
			if (result.toolCalls.length) return { ...result, data: null, attempts: attempt, failedAttempts };
			const parsed = parseStructured(result.content, schema);
			if (parsed.ok) return { ...result, data: parsed.value, attempts: attempt, failedAttempts };
			failedAttempts.push({ attempt, problems: parsed.problems, raw: parsed.raw });
			messages.push(
				{ role: 'assistant', content: result.content },
				{
					role: 'user',
					content:
						`That answer is not valid: ${parsed.problems.join('; ')}. ` +
						'Reply again with only a JSON value that matches the requested schema.',
				},
			);
		}
		const summary = failedAttempts
			.map((failed) => `attempt ${failed.attempt}: ${failed.problems.join('; ')}`)
			.join(' | ');
		throw new OllamaError(
			'structuredOutput',
			`The model "${input.model}" gave no valid structured output in ${failedAttempts.length} attempt(s): ${summary}`,
			{
				model: input.model,
				hint:
					`Last answer: ${failedAttempts[failedAttempts.length - 1].raw.slice(0, 500)}. ` +
					'Raise the retries, simplify the schema, describe the fields in the prompt, or give the model more room (num_predict, num_ctx).',
			},
		);
	}

	/** POST /api/generate, streamed and assembled. */
	async generate(input: GenerateInput): Promise<GenerateResult> {
		return await this.call(input.model, async () => {
			const stream = await this.api.generate({ ...input, stream: true } as GenerateRequest & {
				stream: true;
			});
			let response = '';
			let thinking = '';
			let chunks = 0;
			let last: FinalChunk | undefined;
			let model = input.model;
			for await (const chunk of stream) {
				chunks++;
				model = chunk.model ?? model;
				response += chunk.response ?? '';
				thinking += chunk.thinking ?? '';
				if (chunk.done) last = chunk;
			}
			return { model, response, ...(thinking ? { thinking } : {}), chunks, ...stats(last) };
		});
	}

	/** POST /api/embed: one vector per input text, in order. */
	async embed(input: EmbedRequest): Promise<EmbedResponse> {
		return await this.call(input.model, async () => await this.api.embed(input));
	}

	async list(): Promise<ListResponse> {
		return await this.call(undefined, async () => await this.api.list());
	}

	async show(model: string): Promise<ShowResponse> {
		return await this.call(model, async () => await this.api.show({ model }));
	}

	async ps(): Promise<ListResponse> {
		return await this.call(undefined, async () => await this.api.ps());
	}

	async version(): Promise<string> {
		return await this.call(undefined, async () => (await this.api.version()).version);
	}

	async copy(source: string, destination: string): Promise<void> {
		await this.call(source, async () => await this.api.copy({ source, destination }));
	}

	async delete(model: string): Promise<void> {
		await this.call(model, async () => await this.api.delete({ model }));
	}

	/**
	 * POST /api/pull with progress. Ollama resumes an interrupted pull where it stopped ("Cancelled pulls are
	 * resumed from where they left off"), so a dropped connection is retried up to `retries` times.
	 */
	async pull(
		model: string,
		options: { insecure?: boolean; retries?: number; onProgress?: (progress: PullProgress) => void } = {},
	): Promise<PullResult> {
		const retries = options.retries ?? 3;
		const resumed: Record<string, number> = {};
		const seen = new Set<string>();
		let lastError: OllamaError | undefined;
		for (let attempt = 1; attempt <= retries + 1; attempt++) {
			try {
				const stream = await this.api.pull({ model, insecure: options.insecure, stream: true });
				let status = '';
				for await (const progress of stream) {
					status = progress.status;
					const digest = progress.digest || undefined;
					if (digest && attempt > 1 && !seen.has(`${attempt}:${digest}`) && progress.completed) {
						resumed[digest] = progress.completed;
					}
					if (digest) seen.add(`${attempt}:${digest}`);
					const percent =
						progress.total && progress.completed !== undefined
							? Math.floor((progress.completed / progress.total) * 100)
							: undefined;
					options.onProgress?.({
						status,
						digest,
						total: progress.total || undefined,
						completed: progress.completed,
						percent,
						attempt,
					});
				}
				return { model, status, attempts: attempt, resumed };
			} catch (error) {
				lastError = toOllamaError(error, this.baseUrl, model);
				const retryable =
					lastError.kind === 'unreachable' ||
					(lastError.kind === 'server' && /stream|terminated|aborted|closed/i.test(lastError.message));
				if (!retryable || attempt > retries) throw lastError;
			}
		}
		throw lastError ?? new OllamaError('server', `Pulling ${model} failed`);
	}
}
