import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it, mock } from 'node:test';

import { OllamaClient, OllamaError, type PullProgress } from '../../clients/ollama';
import { parseExtraHeaders } from '../../shared/request-headers';
import { freePort } from '../harness/net';
import { OllamaSimulator, startOllamaSimulator } from '../simulators/ollama/server';

// A 1x1 transparent PNG.
const PNG_1PX =
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

async function rejection(promise: Promise<unknown>): Promise<OllamaError> {
	try {
		await promise;
	} catch (error) {
		assert.ok(error instanceof OllamaError, `expected an OllamaError, got ${String(error)}`);
		return error;
	}
	assert.fail('expected the call to fail');
}

describe('Ollama client against the API simulator', () => {
	let sim: OllamaSimulator;
	let client: OllamaClient;
	before(async () => {
		sim = await startOllamaSimulator();
		client = new OllamaClient({ baseUrl: sim.url });
	});
	after(async () => await sim.stop());
	afterEach(() => {
		sim.replies = [];
		sim.structured = [];
		sim.delayMs = 0;
		sim.requireBearer = undefined;
	});

	it('lists, shows, copies and deletes models and reports the version', async () => {
		assert.equal(await client.version(), '0.12.6');
		const names = (await client.list()).models.map((model) => model.name);
		assert.deepEqual(names, ['llama3.2:latest', 'qwen3-vl:8b', 'nomic-embed-text:latest']);
		const shown = await client.show('llama3.2');
		assert.equal(shown.details.family, 'llama');
		assert.deepEqual(shown.capabilities, ['completion', 'tools']);
		await client.copy('llama3.2', 'llama3-backup');
		assert.ok((await client.list()).models.some((model) => model.name === 'llama3-backup:latest'));
		await client.delete('llama3-backup');
		assert.ok(!(await client.list()).models.some((model) => model.name === 'llama3-backup:latest'));
		const gone = await rejection(client.delete('llama3-backup'));
		assert.equal(gone.kind, 'modelNotFound');
	});

	it('assembles a streamed (NDJSON) chat answer and keeps the model loaded per keep_alive', async () => {
		const result = await client.chat({
			model: 'llama3.2',
			messages: [
				{ role: 'system', content: 'Be brief.' },
				{ role: 'user', content: 'why is the sky blue?' },
			],
			options: { temperature: 0, seed: 7, num_ctx: 4096 },
			keep_alive: '10m',
		});
		assert.equal(result.content, 'llama3.2:latest says: why is the sky blue?');
		assert.ok(result.chunks > 3, `streamed in ${result.chunks} chunks`);
		assert.equal(result.doneReason, 'stop');
		assert.equal(result.evalCount, result.chunks - 1);
		const sent = sim.requests.at(-1)?.body;
		assert.equal(sent?.stream, true);
		assert.deepEqual(sent?.options, { temperature: 0, seed: 7, num_ctx: 4096 });
		assert.equal(sent?.keep_alive, '10m');
		const running = (await client.ps()).models.map((model) => model.name);
		assert.ok(running.includes('llama3.2:latest'));
	});

	it('generates from a prompt with a system prompt', async () => {
		const result = await client.generate({ model: 'llama3.2', prompt: 'hello', system: 'terse' });
		assert.equal(result.response, 'llama3.2:latest says: (terse) hello');
		assert.ok(result.chunks > 1);
	});

	it('the simulator answers non-streamed requests in one JSON object and rejects bad bodies with 400', async () => {
		const one = await fetch(`${sim.url}/api/generate`, {
			method: 'POST',
			body: JSON.stringify({ model: 'llama3.2', prompt: 'hi there', stream: false }),
		});
		assert.equal(one.headers.get('content-type'), 'application/json; charset=utf-8');
		const body = (await one.json()) as Record<string, unknown>;
		assert.equal(body.response, 'llama3.2:latest says: hi there');
		assert.equal(body.done, true);
		const bad = await fetch(`${sim.url}/api/chat`, {
			method: 'POST',
			body: '{"model": "llama3.2", "messages": ',
		});
		assert.equal(bad.status, 400);
		const badMessages = await fetch(`${sim.url}/api/chat`, {
			method: 'POST',
			body: JSON.stringify({ model: 'llama3.2', messages: { role: 'user' } }),
		});
		assert.equal(badMessages.status, 400);
		const missing = await fetch(`${sim.url}/api/chat`, {
			method: 'POST',
			body: JSON.stringify({ model: 'nope' }),
		});
		assert.equal(missing.status, 404);
		assert.deepEqual(await missing.json(), { error: 'model "nope" not found, try pulling it first' });
	});

	it('says which model is missing and gives the exact pull command', async () => {
		const error = await rejection(
			client.chat({ model: 'mistral:7b', messages: [{ role: 'user', content: 'hi' }] }),
		);
		assert.equal(error.kind, 'modelNotFound');
		assert.equal(error.status, 404);
		assert.equal(error.model, 'mistral:7b');
		assert.equal(
			error.message,
			`The model "mistral:7b" is not available on the Ollama server at 127.0.0.1:${sim.port}`,
		);
		assert.match(error.hint ?? '', /ollama pull mistral:7b/);
	});

	it('describes a refused connection in words and hints at host.docker.internal', async () => {
		const port = await freePort();
		const error = await rejection(new OllamaClient({ baseUrl: `http://localhost:${port}` }).list());
		assert.equal(error.kind, 'unreachable');
		assert.equal(error.code, 'ECONNREFUSED');
		assert.doesNotMatch(error.message, /ECONNREFUSED/);
		assert.match(error.message, new RegExp(`Cannot reach Ollama at localhost:${port}: connection refused`));
		assert.match(error.hint ?? '', /http:\/\/host\.docker\.internal:\d+/);
		assert.match(error.hint ?? '', /OLLAMA_HOST=0\.0\.0\.0/);
	});

	it('returns schema-conforming structured output on the first try', async () => {
		const schema = {
			type: 'object',
			properties: { age: { type: 'integer' }, available: { type: 'boolean' } },
			required: ['age', 'available'],
		};
		const result = await client.chatStructured(
			{ model: 'llama3.2', messages: [{ role: 'user', content: 'Ollama is 22' }] },
			schema,
			2,
		);
		assert.deepEqual(result.data, { age: 42, available: true });
		assert.equal(result.attempts, 1);
		assert.deepEqual(sim.requests.at(-1)?.body?.format, schema);
	});

	it('retries invalid structured output, telling the model what was wrong', async () => {
		sim.structured = ['invalid', 'garbage', 'valid'];
		const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
		const result = await client.chatStructured(
			{ model: 'llama3.2', messages: [{ role: 'user', content: 'Where?' }] },
			schema,
			2,
		);
		assert.deepEqual(result.data, { city: 'sample city' });
		assert.equal(result.attempts, 3);
		assert.deepEqual(
			result.failedAttempts.map((attempt) => attempt.problems[0]),
			['$.city: expected string, got integer', result.failedAttempts[1].problems[0]],
		);
		assert.match(result.failedAttempts[1].problems[0], /^not valid JSON/);
		const lastMessages = sim.requests.at(-1)?.body?.messages as Array<{ role: string; content: string }>;
		assert.equal(lastMessages.length, 5);
		assert.match(lastMessages[2].content, /That answer is not valid: \$\.city: expected string, got integer/);
	});

	it('gives up after the configured retries with every failure listed', async () => {
		sim.structured = ['invalid', 'invalid'];
		const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
		const error = await rejection(
			client.chatStructured(
				{ model: 'llama3.2', messages: [{ role: 'user', content: 'Where?' }] },
				schema,
				1,
			),
		);
		assert.equal(error.kind, 'structuredOutput');
		assert.equal(
			error.message,
			'The model "llama3.2" gave no valid structured output in 2 attempt(s): attempt 1: $.city: expected string, got integer | attempt 2: $.city: expected string, got integer',
		);
		assert.match(error.hint ?? '', /Last answer: \{"city":12345\}/);
	});

	it('returns tool calls, thinking, and sends images to a vision model', async () => {
		const tools = [
			{
				type: 'function',
				function: {
					name: 'get_current_weather',
					description: 'Weather for a place',
					parameters: {
						type: 'object',
						properties: {
							location: { type: 'string' },
							format: { type: 'string', enum: ['celsius', 'fahrenheit'] },
						},
						required: ['location', 'format'],
					},
				},
			},
		];
		const called = await client.chat({
			model: 'llama3.2',
			messages: [{ role: 'user', content: 'Weather in Paris?' }],
			tools,
		});
		assert.deepEqual(called.toolCalls, [
			{
				function: {
					name: 'get_current_weather',
					arguments: { location: 'sample location', format: 'celsius' },
				},
			},
		]);
		const structuredCall = await client.chatStructured(
			{ model: 'llama3.2', messages: [{ role: 'user', content: 'Weather in Paris?' }], tools },
			{ type: 'object', properties: { summary: { type: 'string' } } },
			0,
		);
		assert.equal(structuredCall.data, null);
		assert.equal(structuredCall.toolCalls[0].function.name, 'get_current_weather');
		const thought = await client.chat({
			model: 'qwen3-vl:8b',
			messages: [{ role: 'user', content: 'hm' }],
			think: true,
		});
		assert.equal(thought.thinking, 'Let me think. Done thinking.');
		const refused = await rejection(
			client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'hm' }], think: true }),
		);
		assert.equal(refused.kind, 'badRequest');
		assert.match(refused.message, /does not support thinking/);
		const seen = await client.chat({
			model: 'qwen3-vl:8b',
			messages: [{ role: 'user', content: 'what is this?', images: [PNG_1PX] }],
		});
		assert.equal(seen.content, 'qwen3-vl:8b says: what is this? [saw 1 image(s): PNG]');
	});

	it('embeds a batch of texts into one vector each, deterministically', async () => {
		const result = await client.embed({ model: 'nomic-embed-text', input: ['a', 'b', 'a'] });
		assert.equal(result.embeddings.length, 3);
		assert.ok(result.embeddings.every((vector) => vector.length === 8));
		assert.deepEqual(result.embeddings[0], result.embeddings[2]);
		assert.notDeepEqual(result.embeddings[0], result.embeddings[1]);
	});

	it('pulls with progress and resumes after the connection drops', async () => {
		sim.pullChunkBytes = 100_000_000;
		sim.dropPullAfter = 4;
		const progress: PullProgress[] = [];
		const result = await client.pull('gemma3:1b', { onProgress: (line) => progress.push(line) });
		assert.equal(result.status, 'success');
		assert.equal(result.attempts, 2);
		const digests = Object.keys(result.resumed);
		assert.equal(digests.length, 1);
		assert.equal(
			result.resumed[digests[0]],
			200_000_000,
			'second attempt started at the bytes already there',
		);
		assert.deepEqual(
			progress.filter((line) => line.attempt === 1).map((line) => line.completed),
			[undefined, 0, 100_000_000, 200_000_000],
		);
		assert.equal(progress.at(-1)?.status, 'success');
		assert.ok(progress.some((line) => line.percent === 100));
		assert.ok((await client.list()).models.some((model) => model.name === 'gemma3:1b'));
		const unknown = await rejection(client.pull('does-not-exist'));
		assert.match(unknown.message, /file does not exist/);
	});

	it('stops at once when cancelled, even while waiting for a slow model', async () => {
		sim.delayMs = 30_000;
		const controller = new AbortController();
		const slow = new OllamaClient({ baseUrl: sim.url, signal: controller.signal });
		const started = Date.now();
		const pending = rejection(slow.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }] }));
		await sim.untilWaiting();
		controller.abort();
		const error = await pending;
		assert.equal(error.kind, 'cancelled');
		assert.ok(Date.now() - started < 5000);
	});

	it('honours a configured timeout and says how to lift it', async () => {
		sim.delayMs = 2000;
		const error = await rejection(
			new OllamaClient({ baseUrl: sim.url, timeoutMs: 200 }).generate({ model: 'llama3.2', prompt: 'hi' }),
		);
		assert.equal(error.kind, 'timeout');
		assert.match(error.message, /within the configured timeout of 200 ms/);
		assert.match(error.hint ?? '', /set it to 0 \(no limit\)/);
	});

	it('sends the bearer token and extra headers a proxy needs', async () => {
		sim.requireBearer = 'proxy-secret';
		const denied = await rejection(client.list());
		assert.equal(denied.kind, 'unauthorized');
		const authed = new OllamaClient({
			baseUrl: `${sim.url}/`,
			apiKey: 'proxy-secret',
			headers: parseExtraHeaders('{"X-Proxy-Tenant": "lab"}'),
		});
		assert.equal((await authed.list()).models.length > 0, true);
		assert.equal(sim.requests.at(-1)?.headers['x-proxy-tenant'], 'lab');
		assert.throws(() => parseExtraHeaders('[1]'), /must be a JSON object/);
		assert.throws(() => parseExtraHeaders('{"bad header": "x"}'), /not a valid header name/);
	});
});

describe('no 5-minute cap (simulated clock)', () => {
	// The simulator waits out its latency with setTimeout, which node:test's mock timers control, so 6 minutes
	// pass instantly. A client-side timer of up to 6 minutes (like the 300 s headers timeout of Node's fetch)
	// would fire during tick() and fail the call; the control case shows it does when one is configured.
	// What this proves: our client arms no JavaScript timer by default. Socket-level timeouts are not mocked;
	// the transport sets none (see clients/ollama/node-fetch.ts).
	let sim: OllamaSimulator;
	before(async () => {
		mock.timers.enable({ apis: ['setTimeout'] });
		sim = new OllamaSimulator();
		await sim.start();
		sim.delayMs = 6 * 60 * 1000;
	});
	after(async () => {
		mock.timers.reset();
		await sim.stop();
	});

	it('waits past 5 minutes of simulated model latency by default', async () => {
		const pending = new OllamaClient({ baseUrl: sim.url }).chat({
			model: 'llama3.2',
			messages: [{ role: 'user', content: 'take your time' }],
		});
		await sim.untilWaiting();
		mock.timers.tick(6 * 60 * 1000);
		const result = await pending;
		assert.equal(result.content, 'llama3.2:latest says: take your time');
	});

	it('control: a configured 5-minute timeout does fire within the same simulated 6 minutes', async () => {
		const pending = rejection(
			new OllamaClient({ baseUrl: sim.url, timeoutMs: 5 * 60 * 1000 }).chat({
				model: 'llama3.2',
				messages: [{ role: 'user', content: 'take your time' }],
			}),
		);
		await sim.untilWaiting();
		mock.timers.tick(6 * 60 * 1000);
		const error = await pending;
		assert.equal(error.kind, 'timeout');
	});
});
