// An Ollama API simulator built from Ollama's docs/api.md (github.com/ollama/ollama). Each handler cites the
// section it implements. It listens on a free loopback port and answers like the real server: NDJSON streams
// unless `"stream": false`, `{"error": "..."}` bodies with the real status codes, 404 for models that are not
// pulled. Knobs (public fields) let tests script what the "model" says, how slow it is, and failures.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SimModel {
	name: string;
	family: string;
	parameterSize: string;
	capabilities: Array<'completion' | 'vision' | 'tools' | 'thinking' | 'embedding'>;
	/** Bytes of the single simulated layer (pull progress). */
	size: number;
	embeddingLength?: number;
}

export interface RecordedRequest {
	method: string;
	path: string;
	headers: http.IncomingHttpHeaders;
	body: Record<string, unknown> | undefined;
}

/** What the "model" answers to the next chat/generate calls, in order (then the default behaviour). */
export type ScriptedReply = string | { content: string; thinking?: string };

export interface OllamaSimulatorOptions {
	/** Models present from the start (default: a chat, a vision+tools+thinking and an embedding model). */
	models?: SimModel[];
	/** Models the "registry" offers for /api/pull. */
	registry?: SimModel[];
	/** How the simulator waits for `delayMs`; tests may pass a controllable clock. */
	sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_MODELS: SimModel[] = [
	{
		name: 'llama3.2:latest',
		family: 'llama',
		parameterSize: '3.2B',
		capabilities: ['completion', 'tools'],
		size: 2019393189,
	},
	{
		name: 'qwen3-vl:8b',
		family: 'qwen3vl',
		parameterSize: '8.8B',
		capabilities: ['completion', 'vision', 'tools', 'thinking'],
		size: 6135083245,
	},
	{
		name: 'nomic-embed-text:latest',
		family: 'nomic-bert',
		parameterSize: '137M',
		capabilities: ['embedding'],
		size: 274302450,
		embeddingLength: 8,
	},
];

export const DEFAULT_REGISTRY: SimModel[] = [
	{
		name: 'gemma3:1b',
		family: 'gemma3',
		parameterSize: '999.89M',
		capabilities: ['completion'],
		size: 815319791,
	},
	{
		name: 'all-minilm:latest',
		family: 'bert',
		parameterSize: '23M',
		capabilities: ['embedding'],
		size: 45960996,
		embeddingLength: 8,
	},
];

class HttpError extends Error {
	constructor(
		readonly status: number,
		message: string,
	) {
		super(message);
	}
}

/** docs/api.md "Model names": `model:tag`, the tag defaulting to `latest`. */
export function normalizeModelName(name: string): string {
	const trimmed = name.trim();
	const lastSegment = trimmed.split('/').pop() ?? trimmed;
	return lastSegment.includes(':') ? trimmed : `${trimmed}:latest`;
}

function digestOf(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}

/** A JSON value that satisfies a (simple) JSON schema: what a well-behaved model produces. */
export function sampleFromSchema(schema: Record<string, unknown> | undefined, key = 'value'): unknown {
	if (!schema) return {};
	if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
	const type = Array.isArray(schema.type) ? (schema.type[0] as string) : (schema.type as string | undefined);
	switch (type) {
		case 'string':
			return `sample ${key}`;
		case 'integer':
			return typeof schema.minimum === 'number' ? Math.ceil(schema.minimum) : 42;
		case 'number':
			return typeof schema.minimum === 'number' ? schema.minimum : 4.2;
		case 'boolean':
			return true;
		case 'array':
			return [sampleFromSchema(schema.items as Record<string, unknown> | undefined, key)];
		case 'null':
			return null;
		case 'object':
		case undefined:
		default: {
			const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
			return Object.fromEntries(
				Object.entries(properties).map(([name, sub]) => [name, sampleFromSchema(sub, name)]),
			);
		}
	}
}

/** A JSON value that breaks the schema in a way a validator must notice (wrong type of the first property). */
function invalidForSchema(schema: Record<string, unknown> | undefined): unknown {
	const properties = (schema?.properties ?? {}) as Record<string, Record<string, unknown>>;
	const names = Object.keys(properties);
	if (!names.length) return 'not an object';
	const valid = sampleFromSchema(schema) as Record<string, unknown>;
	const first = names[0];
	valid[first] = properties[first].type === 'string' ? 12345 : 'wrong type';
	return valid;
}

/**
 * Why `value` could not have come out of generation constrained by `schema` (docs/api.md "Request (Structured
 * outputs)": the answer "is returned in the format defined by the JSON schema"), or null when it could. Written
 * apart from clients/ollama/schema.ts on purpose: the simulator must not share a bug with the code it tests.
 * Covers the keywords the grammar enforces: type, enum, properties/required/additionalProperties, items,
 * maxItems, anyOf, pattern, minimum/maximum.
 */
export function schemaViolation(value: unknown, schema: Record<string, unknown>, path = '$'): string | null {
	if (Array.isArray(schema.anyOf)) {
		const branches = (schema.anyOf as Array<Record<string, unknown>>).map((branch) =>
			schemaViolation(value, branch, path),
		);
		if (branches.every((branch) => branch !== null)) return branches[0];
	}
	const kind =
		value === null
			? 'null'
			: Array.isArray(value)
				? 'array'
				: typeof value === 'number' && Number.isInteger(value)
					? 'integer'
					: typeof value;
	if (schema.type !== undefined) {
		const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
		if (!types.some((type) => type === kind || (type === 'number' && kind === 'integer')))
			return `${path} is ${kind}, the schema allows ${types.join('|')}`;
	}
	if (Array.isArray(schema.enum) && !schema.enum.some((allowed) => allowed === value))
		return `${path} ${JSON.stringify(value)} is not in the enum`;
	if (
		typeof value === 'string' &&
		typeof schema.pattern === 'string' &&
		!new RegExp(schema.pattern).test(value)
	)
		return `${path} "${value}" does not match ${schema.pattern}`;
	if (typeof value === 'number') {
		if (typeof schema.minimum === 'number' && value < schema.minimum) return `${path} is below the minimum`;
		if (typeof schema.maximum === 'number' && value > schema.maximum) return `${path} is above the maximum`;
	}
	if (Array.isArray(value)) {
		if (typeof schema.maxItems === 'number' && value.length > schema.maxItems)
			return `${path} has too many items`;
		for (const [index, entry] of value.entries()) {
			const problem = schema.items
				? schemaViolation(entry, schema.items as Record<string, unknown>, `${path}[${index}]`)
				: null;
			if (problem) return problem;
		}
	}
	if (kind === 'object') {
		const record = value as Record<string, unknown>;
		const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
		for (const key of (schema.required as string[] | undefined) ?? [])
			if (!(key in record)) return `${path}.${key} is required`;
		for (const [key, entry] of Object.entries(record)) {
			if (properties[key]) {
				const problem = schemaViolation(entry, properties[key], `${path}.${key}`);
				if (problem) return problem;
			} else if (schema.additionalProperties === false) return `${path}.${key} is not in the schema`;
		}
	}
	return null;
}

function embeddingFor(text: string, length: number): number[] {
	const hash = createHash('sha256').update(text).digest();
	const raw = Array.from({ length }, (_, index) => hash[index % hash.length] / 255 - 0.5);
	const norm = Math.sqrt(raw.reduce((sum, value) => sum + value * value, 0)) || 1;
	return raw.map((value) => Math.round((value / norm) * 1e6) / 1e6);
}

function imageKind(base64: string): string {
	const bytes = Buffer.from(base64, 'base64');
	if (bytes.length === 0 || bytes.toString('base64').replace(/=+$/, '') !== base64.replace(/=+$/, '')) {
		throw new HttpError(400, 'illegal base64 data at input byte 0');
	}
	if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
		return 'PNG';
	if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'JPEG';
	throw new HttpError(400, 'image: unknown format');
}

export class OllamaSimulator {
	readonly models = new Map<string, SimModel & { modifiedAt: string }>();
	readonly registry = new Map<string, SimModel>();
	/** Models "in memory" (docs: List Running Models), with their keep_alive expiry. */
	readonly loaded = new Map<string, string>();
	readonly requests: RecordedRequest[] = [];

	// ---- knobs ----
	/** Scripted answers for the next chat/generate requests. */
	replies: ScriptedReply[] = [];
	/**
	 * Structured-output mode: answer JSON that breaks the requested schema ('invalid'), isn't JSON ('garbage'),
	 * or a valid answer cut off when the token limit ran out ('truncated', done_reason "length": the one way a
	 * real schema-constrained answer is not valid JSON).
	 */
	structured: Array<'valid' | 'invalid' | 'garbage' | 'truncated'> = [];
	/**
	 * What the "model" answers to the next requests that carry a JSON-schema `format`, in order (before
	 * `structured`). Each must fit the request's schema, as constrained generation guarantees; one that does not
	 * is answered with a 500 naming the problem, so a test cannot script an answer the real server never gives.
	 */
	structuredAnswers: unknown[] = [];
	/** Simulated latency before a chat/generate/embed answer starts. */
	delayMs = 0;
	/** Require `Authorization: Bearer <token>` (a proxy in front of Ollama). */
	requireBearer?: string;
	/** Drop the connection of the next /api/pull after this many progress lines (tests resume). */
	dropPullAfter?: number;
	/** Bytes per progress line of /api/pull. */
	pullChunkBytes = 0;
	/** Bytes of each registry model already downloaded (Ollama resumes cancelled pulls). */
	readonly partialPulls = new Map<string, number>();
	/** Requests currently waiting out `delayMs`. */
	waiting = 0;
	/** Requests whose client hung up before the answer (e.g. the workflow was stopped). */
	abandoned = 0;

	private server?: http.Server;
	private readonly sleep: (ms: number) => Promise<void>;
	private waitingListeners: Array<() => void> = [];
	port = 0;

	constructor(options: OllamaSimulatorOptions = {}) {
		for (const model of options.models ?? DEFAULT_MODELS) this.addModel(model);
		for (const model of options.registry ?? DEFAULT_REGISTRY)
			this.registry.set(normalizeModelName(model.name), model);
		this.sleep =
			options.sleep ??
			(async (ms) =>
				await new Promise((resolve) => {
					// unref: a request the client gave up on must not keep the test process alive.
					const timer = setTimeout(resolve, ms) as { unref?: () => void };
					timer.unref?.();
				}));
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	addModel(model: SimModel): void {
		const name = normalizeModelName(model.name);
		this.models.set(name, { ...model, name, modifiedAt: new Date('2026-01-02T03:04:05Z').toISOString() });
	}

	/**
	 * Resolves when the next request starts waiting out `delayMs` (so a test can advance its clock or stop the
	 * workflow). Requests already waiting (e.g. one an earlier test gave up on) do not count.
	 */
	async untilWaiting(): Promise<void> {
		await new Promise<void>((resolve) => this.waitingListeners.push(resolve));
	}

	async start(): Promise<this> {
		this.server = http.createServer((request, response) => {
			void this.handle(request, response);
		});
		await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
		this.port = (this.server.address() as AddressInfo).port;
		return this;
	}

	async stop(): Promise<void> {
		const server = this.server;
		if (!server) return;
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
	}

	private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
		const url = new URL(request.url ?? '/', 'http://sim');
		let raw = '';
		for await (const chunk of request) raw += String(chunk);
		let body: Record<string, unknown> | undefined;
		const record: RecordedRequest = {
			method: request.method ?? 'GET',
			path: url.pathname,
			headers: request.headers,
			body,
		};
		this.requests.push(record);
		try {
			if (this.requireBearer && request.headers.authorization !== `Bearer ${this.requireBearer}`) {
				throw new HttpError(401, 'unauthorized');
			}
			if (raw.trim()) {
				try {
					body = JSON.parse(raw) as Record<string, unknown>;
				} catch {
					throw new HttpError(400, 'invalid character in request body: not valid JSON');
				}
				if (typeof body !== 'object' || body === null || Array.isArray(body)) {
					throw new HttpError(400, 'json: cannot unmarshal non-object into Go value');
				}
				record.body = body;
			}
			const route = `${request.method} ${url.pathname}`;
			switch (route) {
				case 'GET /':
				case 'HEAD /':
					response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('Ollama is running');
					return;
				case 'GET /api/version':
					return this.json(response, 200, { version: '0.12.6' });
				case 'GET /api/tags':
					return this.json(response, 200, this.tags());
				case 'GET /api/ps':
					return this.json(response, 200, this.ps());
				case 'POST /api/show':
					return this.json(response, 200, this.show(body));
				case 'POST /api/copy':
					this.copy(body);
					return this.json(response, 200, {});
				case 'DELETE /api/delete':
					this.delete(body);
					return this.json(response, 200, {});
				case 'POST /api/embed':
					return await this.embed(body, response);
				case 'POST /api/chat':
					return await this.chat(body, response);
				case 'POST /api/generate':
					return await this.generate(body, response);
				case 'POST /api/pull':
					return await this.pull(body, response);
				default:
					throw new HttpError(404, '404 page not found');
			}
		} catch (error) {
			if (response.headersSent) {
				// Errors after a stream started arrive as a last NDJSON line (docs: "Streaming responses").
				response.end(`${JSON.stringify({ error: (error as Error).message })}\n`);
				return;
			}
			const status = error instanceof HttpError ? error.status : 500;
			this.json(response, status, { error: (error as Error).message });
		}
	}

	private json(response: http.ServerResponse, status: number, value: unknown): void {
		response
			.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
			.end(JSON.stringify(value));
	}

	private modelField(body: Record<string, unknown> | undefined, field = 'model'): string {
		// The `ollama` JS client still sends the legacy `name` for pull/delete; the server accepts both.
		const value = body?.[field] ?? body?.name;
		if (value === undefined || value === '') throw new HttpError(400, `${field} is required`);
		if (typeof value !== 'string')
			throw new HttpError(
				400,
				`json: cannot unmarshal ${typeof value} into Go struct field .${field} of type string`,
			);
		return value;
	}

	/** docs/api.md "Generate a completion" / "Generate a chat completion": 404 when the model is not pulled. */
	private requireModel(name: string): SimModel & { modifiedAt: string } {
		const model = this.models.get(normalizeModelName(name));
		if (!model) throw new HttpError(404, `model "${name}" not found, try pulling it first`);
		return model;
	}

	private async wait(response?: http.ServerResponse): Promise<void> {
		if (this.delayMs <= 0) return;
		response?.once('close', () => {
			if (!response.writableEnded) this.abandoned++;
		});
		this.waiting++;
		for (const listener of this.waitingListeners.splice(0)) listener();
		try {
			await this.sleep(this.delayMs);
		} finally {
			this.waiting--;
		}
	}

	private modelSummary(model: SimModel & { modifiedAt: string }) {
		return {
			name: model.name,
			model: model.name,
			modified_at: model.modifiedAt,
			size: model.size,
			digest: digestOf(model.name),
			details: {
				parent_model: '',
				format: 'gguf',
				family: model.family,
				families: [model.family],
				parameter_size: model.parameterSize,
				quantization_level: 'Q4_K_M',
			},
		};
	}

	/** docs/api.md "List Local Models" (GET /api/tags). */
	private tags() {
		return { models: [...this.models.values()].map((model) => this.modelSummary(model)) };
	}

	/** docs/api.md "List Running Models" (GET /api/ps). */
	private ps() {
		return {
			models: [...this.loaded.entries()].flatMap(([name, expiresAt]) => {
				const model = this.models.get(name);
				if (!model) return [];
				return [{ ...this.modelSummary(model), expires_at: expiresAt, size_vram: model.size }];
			}),
		};
	}

	private touch(model: SimModel, keepAlive: unknown): void {
		if (keepAlive === 0 || keepAlive === '0' || keepAlive === '0s') {
			this.loaded.delete(model.name);
			return;
		}
		let ms = 5 * 60 * 1000;
		if (typeof keepAlive === 'number') ms = keepAlive < 0 ? 1e13 : keepAlive * 1000;
		else if (typeof keepAlive === 'string') {
			const match = /^(-?\d+)(ms|s|m|h)?$/.exec(keepAlive);
			if (!match) throw new HttpError(400, `time: invalid duration "${keepAlive}"`);
			const unit = { ms: 1, s: 1000, m: 60000, h: 3600000 }[match[2] ?? 's'] ?? 1000;
			ms = Number(match[1]) < 0 ? 1e13 : Number(match[1]) * unit;
		}
		this.loaded.set(model.name, new Date(Date.UTC(2026, 0, 1) + ms).toISOString());
	}

	/** docs/api.md "Show Model Information" (POST /api/show). */
	private show(body: Record<string, unknown> | undefined) {
		const model = this.requireModel(this.modelField(body));
		return {
			modelfile: `# Modelfile generated by "ollama show"\nFROM ${model.name}`,
			parameters: 'stop "<|eot_id|>"',
			template: '{{ .Prompt }}',
			details: this.modelSummary(model).details,
			model_info: {
				'general.architecture': model.family,
				'general.parameter_count': 1000,
				...(model.embeddingLength ? { [`${model.family}.embedding_length`]: model.embeddingLength } : {}),
			},
			capabilities: model.capabilities,
			modified_at: model.modifiedAt,
		};
	}

	/** docs/api.md "Copy a Model": 200, or 404 when the source does not exist. */
	private copy(body: Record<string, unknown> | undefined) {
		const source = this.modelField(body, 'source');
		const destination = this.modelField(body, 'destination');
		const model = this.models.get(normalizeModelName(source));
		if (!model) throw new HttpError(404, `model "${source}" not found`);
		this.addModel({ ...model, name: destination });
	}

	/** docs/api.md "Delete a Model": 200, or 404 when it does not exist. */
	private delete(body: Record<string, unknown> | undefined) {
		const name = normalizeModelName(this.modelField(body));
		if (!this.models.delete(name)) throw new HttpError(404, `model "${this.modelField(body)}" not found`);
		this.loaded.delete(name);
	}

	/** docs/api.md "Generate Embeddings" (POST /api/embed): `input` is a string or a list of strings. */
	private async embed(body: Record<string, unknown> | undefined, response: http.ServerResponse) {
		const model = this.requireModel(this.modelField(body));
		const input = body?.input;
		const texts = typeof input === 'string' ? [input] : input;
		if (!Array.isArray(texts) || texts.some((text) => typeof text !== 'string')) {
			throw new HttpError(400, 'invalid input type');
		}
		if (!model.capabilities.includes('embedding')) {
			throw new HttpError(400, `"${model.name}" does not support embeddings`);
		}
		this.touch(model, body?.keep_alive);
		await this.wait(response);
		this.json(response, 200, {
			model: model.name,
			embeddings: (texts as string[]).map((text) => embeddingFor(text, model.embeddingLength ?? 8)),
			total_duration: 14143917,
			load_duration: 1019500,
			prompt_eval_count: (texts as string[]).join(' ').split(/\s+/).length,
		});
	}

	private checkFormat(format: unknown): void {
		if (format === undefined || format === '' || format === 'json') return;
		if (typeof format !== 'object' || format === null || Array.isArray(format)) {
			throw new HttpError(400, `invalid format: expected "json" or a JSON schema`);
		}
	}

	private checkOptions(options: unknown): void {
		if (options === undefined) return;
		if (typeof options !== 'object' || options === null)
			throw new HttpError(400, 'options must be an object');
		for (const [key, value] of Object.entries(options)) {
			if (
				['temperature', 'num_ctx', 'seed', 'top_p', 'top_k', 'num_predict'].includes(key) &&
				typeof value !== 'number'
			) {
				throw new HttpError(
					400,
					`json: cannot unmarshal ${typeof value} into Go struct field Options.${key} of type number`,
				);
			}
		}
	}

	/** What the model says: scripted replies first, then structured mode, then an echo. */
	private answer(
		model: SimModel,
		prompt: string,
		format: unknown,
		imageKinds: string[],
	): { content: string; thinking?: string; doneReason?: string } {
		const scripted = this.replies.shift();
		if (scripted !== undefined) return typeof scripted === 'string' ? { content: scripted } : scripted;
		if (format !== undefined && format !== '') {
			const schema = typeof format === 'object' ? (format as Record<string, unknown>) : undefined;
			if (schema && this.structuredAnswers.length) {
				const value = this.structuredAnswers.shift();
				const problem = schemaViolation(value, schema);
				if (problem)
					throw new HttpError(
						500,
						`simulator: the scripted answer cannot come out of this format: ${problem}`,
					);
				return { content: JSON.stringify(value) };
			}
			const mode = this.structured.shift() ?? 'valid';
			if (mode === 'garbage') return { content: 'Sure! Here is the JSON you asked for: {"age": 22,' };
			if (mode === 'truncated') {
				const full = JSON.stringify(sampleFromSchema(schema));
				return { content: full.slice(0, Math.max(1, Math.floor(full.length / 2))), doneReason: 'length' };
			}
			return {
				content: JSON.stringify(mode === 'invalid' ? invalidForSchema(schema) : sampleFromSchema(schema)),
			};
		}
		const seen = imageKinds.length ? ` [saw ${imageKinds.length} image(s): ${imageKinds.join(', ')}]` : '';
		return { content: `${model.name} says: ${prompt}${seen}` };
	}

	private stream(
		response: http.ServerResponse,
		body: Record<string, unknown>,
		chunks: Array<Record<string, unknown>>,
		final: Record<string, unknown>,
		doneReason = 'stop',
	): void {
		const base = { model: body.model, created_at: new Date('2026-01-02T03:04:05Z').toISOString() };
		const stats = {
			total_duration: 4883583458,
			load_duration: 1334875,
			prompt_eval_count: 26,
			prompt_eval_duration: 342546000,
			eval_count: chunks.length,
			eval_duration: 4535599000,
		};
		if (body.stream === false) {
			this.json(response, 200, { ...base, ...final, done: true, done_reason: doneReason, ...stats });
			return;
		}
		response.writeHead(200, { 'content-type': 'application/x-ndjson' });
		for (const chunk of chunks) response.write(`${JSON.stringify({ ...base, ...chunk, done: false })}\n`);
		response.end(
			`${JSON.stringify({ ...base, ...this.emptyOf(final), done: true, done_reason: doneReason, ...stats })}\n`,
		);
	}

	private emptyOf(final: Record<string, unknown>): Record<string, unknown> {
		return 'message' in final ? { message: { role: 'assistant', content: '' } } : { response: '' };
	}

	private splitWords(text: string): string[] {
		return text.match(/\S+\s*|\s+/g) ?? [''];
	}

	/** docs/api.md "Generate a chat completion" (POST /api/chat): streaming, tools, images, format, think. */
	private async chat(body: Record<string, unknown> | undefined, response: http.ServerResponse) {
		const model = this.requireModel(this.modelField(body));
		const request = body as Record<string, unknown>;
		const messages = request.messages ?? [];
		if (!Array.isArray(messages))
			throw new HttpError(
				400,
				'json: cannot unmarshal object into Go struct field ChatRequest.messages of type []api.Message',
			);
		this.checkFormat(request.format);
		this.checkOptions(request.options);
		const imageKinds: string[] = [];
		for (const message of messages as Array<Record<string, unknown>>) {
			if (!['system', 'user', 'assistant', 'tool'].includes(String(message.role))) {
				throw new HttpError(400, `invalid role: ${String(message.role)}`);
			}
			for (const image of (message.images as string[] | undefined) ?? []) imageKinds.push(imageKind(image));
		}
		if (imageKinds.length && !model.capabilities.includes('vision')) {
			throw new HttpError(400, `"${model.name}" does not support images`);
		}
		const tools = request.tools as
			| Array<{ function: { name: string; parameters?: Record<string, unknown> } }>
			| undefined;
		if (tools?.length && !model.capabilities.includes('tools')) {
			throw new HttpError(400, `registry.ollama.ai/library/${model.name} does not support tools`);
		}
		if (request.think === true && !model.capabilities.includes('thinking')) {
			throw new HttpError(400, `"${model.name}" does not support thinking`);
		}
		if (!model.capabilities.includes('completion'))
			throw new HttpError(400, `"${model.name}" does not support chat`);
		this.touch(model, request.keep_alive);
		await this.wait(response);
		const last = (messages as Array<Record<string, unknown>>).at(-1);
		if (!last) {
			// docs: "Load a model": an empty messages array loads (or with keep_alive 0 unloads) the model.
			return this.json(response, 200, {
				model: request.model,
				created_at: new Date().toISOString(),
				message: { role: 'assistant', content: '' },
				done_reason: request.keep_alive === 0 ? 'unload' : 'load',
				done: true,
			});
		}
		if (tools?.length && last.role === 'user' && !this.replies.length) {
			// docs: "Chat request (with tools)": the model answers with tool_calls and empty content.
			const tool = tools[0];
			const message = {
				role: 'assistant',
				content: '',
				tool_calls: [
					{ function: { name: tool.function.name, arguments: sampleFromSchema(tool.function.parameters) } },
				],
			};
			return this.stream(response, request, [{ message }], { message });
		}
		const said = last.role === 'tool' ? `tool result ${String(last.content)}` : String(last.content);
		const { content, thinking, doneReason } = this.answer(model, said, request.format, imageKinds);
		const words = this.splitWords(content);
		const chunks: Array<Record<string, unknown>> = [];
		if (request.think === true) {
			chunks.push({ message: { role: 'assistant', content: '', thinking: thinking ?? 'Let me think. ' } });
			chunks.push({ message: { role: 'assistant', content: '', thinking: 'Done thinking.' } });
		}
		for (const word of words) chunks.push({ message: { role: 'assistant', content: word } });
		return this.stream(
			response,
			request,
			chunks,
			{
				message: {
					role: 'assistant',
					content,
					...(request.think === true ? { thinking: `${thinking ?? 'Let me think. '}Done thinking.` } : {}),
				},
			},
			doneReason,
		);
	}

	/** docs/api.md "Generate a completion" (POST /api/generate). */
	private async generate(body: Record<string, unknown> | undefined, response: http.ServerResponse) {
		const model = this.requireModel(this.modelField(body));
		const request = body as Record<string, unknown>;
		if (request.prompt !== undefined && typeof request.prompt !== 'string')
			throw new HttpError(400, 'prompt must be a string');
		this.checkFormat(request.format);
		this.checkOptions(request.options);
		const imageKinds = ((request.images as string[] | undefined) ?? []).map(imageKind);
		if (imageKinds.length && !model.capabilities.includes('vision')) {
			throw new HttpError(400, `"${model.name}" does not support images`);
		}
		if (!model.capabilities.includes('completion'))
			throw new HttpError(400, `"${model.name}" does not support generate`);
		this.touch(model, request.keep_alive);
		await this.wait(response);
		if (!request.prompt) {
			// docs: "Load a model" / "Unload a model".
			return this.json(response, 200, {
				model: request.model,
				created_at: new Date().toISOString(),
				response: '',
				done: true,
				...(request.keep_alive === 0 ? { done_reason: 'unload' } : {}),
			});
		}
		if (request.system !== undefined && typeof request.system !== 'string') {
			throw new HttpError(400, 'system must be a string');
		}
		const prompt = request.system ? `(${request.system}) ${request.prompt}` : request.prompt;
		const { content, doneReason } = this.answer(model, prompt, request.format, imageKinds);
		const chunks = this.splitWords(content).map((word) => ({ response: word }));
		return this.stream(response, request, chunks, { response: content, context: [1, 2, 3] }, doneReason);
	}

	/**
	 * docs/api.md "Pull a Model": a stream of `pulling manifest`, `downloading <digest>` lines with
	 * total/completed, then `verifying sha256 digest`, `writing manifest`, `success`. "Cancelled pulls are
	 * resumed from where they left off": bytes already downloaded are kept per model.
	 */
	private async pull(body: Record<string, unknown> | undefined, response: http.ServerResponse) {
		const requested = this.modelField(body);
		const name = normalizeModelName(requested);
		const stream = body?.stream !== false;
		const target = this.registry.get(name) ?? this.models.get(name);
		const lines: Array<Record<string, unknown>> = [{ status: 'pulling manifest' }];
		if (!target) {
			if (!stream) throw new HttpError(500, 'pull model manifest: file does not exist');
			response.writeHead(200, { 'content-type': 'application/x-ndjson' });
			response.write(`${JSON.stringify(lines[0])}\n`);
			response.end(`${JSON.stringify({ error: 'pull model manifest: file does not exist' })}\n`);
			return;
		}
		const digest = `sha256:${digestOf(name)}`;
		const total = target.size;
		const step = this.pullChunkBytes > 0 ? this.pullChunkBytes : Math.ceil(total / 4);
		let completed = this.models.has(name) ? total : (this.partialPulls.get(name) ?? 0);
		lines.push({ status: `pulling ${digest.slice(7, 19)}`, digest, total, completed });
		while (completed < total) {
			completed = Math.min(total, completed + step);
			lines.push({ status: `pulling ${digest.slice(7, 19)}`, digest, total, completed });
		}
		lines.push({ status: 'verifying sha256 digest' }, { status: 'writing manifest' }, { status: 'success' });
		if (!stream) {
			this.partialPulls.delete(name);
			this.addModel({ ...target, name });
			return this.json(response, 200, { status: 'success' });
		}
		response.writeHead(200, { 'content-type': 'application/x-ndjson' });
		const dropAfter = this.dropPullAfter;
		this.dropPullAfter = undefined;
		let sent = 0;
		for (const line of lines) {
			if (dropAfter !== undefined && sent >= dropAfter) {
				response.destroy();
				return;
			}
			if (typeof line.completed === 'number') this.partialPulls.set(name, line.completed);
			response.write(`${JSON.stringify(line)}\n`);
			sent++;
			await new Promise((resolve) => setImmediate(resolve));
		}
		this.partialPulls.delete(name);
		this.addModel({ ...target, name });
		response.end();
	}
}

export async function startOllamaSimulator(options: OllamaSimulatorOptions = {}): Promise<OllamaSimulator> {
	return await new OllamaSimulator(options).start();
}
