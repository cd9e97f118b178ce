import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';

import { freePort, waitFor } from '../harness/net';
import { outputOf, type N8n, type WorkflowJson, type WorkflowNode } from '../harness/n8n';
import { REPO_ROOT } from '../harness/runtime';
import { sharedN8n } from '../helpers/shared-n8n';
import { itemsNode, linearWorkflow } from '../helpers/workflows';
import type { OllamaSimulator } from '../simulators/ollama/server';
import { startOllamaSimulator } from '../simulators/ollama/server';

// A 1x1 PNG.
const PNG_1PX =
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

describe('Ollama node inside real n8n against the Ollama API simulator', () => {
	let n8n: N8n;
	let sim: OllamaSimulator;
	let credential: { id: string; name: string };
	before(async () => {
		n8n = await sharedN8n();
		sim = await startOllamaSimulator();
		const name = `Ollama simulator ${Date.now()}`;
		const id = await n8n.createCredential(name, 'ollamaApi', {
			baseUrl: sim.url,
			apiKey: '',
			extraHeaders: '',
		});
		credential = { id, name };
	});
	after(async () => await sim.stop());
	afterEach(() => {
		sim.replies = [];
		sim.structured = [];
		sim.delayMs = 0;
		sim.requireBearer = undefined;
	});

	const ollamaNode = (
		parameters: Record<string, unknown>,
		extra: Record<string, unknown> = {},
		cred: { id: string; name: string } = credential,
	): WorkflowNode => ({
		name: 'Ollama',
		type: 'n8n-nodes-homelab.ollama',
		typeVersion: 1,
		parameters,
		credentials: { ollamaApi: cred },
		...extra,
	});
	const model = (value: string) => ({ __rl: true, mode: 'name', value });
	const run = async (name: string, nodes: WorkflowNode[]) =>
		await n8n.runWorkflow(await n8n.importWorkflow(linearWorkflow(name, nodes)));

	it('loads the node, its AI-Agent tool variant and the credential type', async () => {
		const names = (await n8n.nodeTypes()).map((type) => type.name);
		assert.ok(names.includes('n8n-nodes-homelab.ollama'));
		assert.ok(names.includes('n8n-nodes-homelab.ollamaTool'));
	});

	it('chats per item with each item’s own message, streaming assembled, paired with its input', async () => {
		const result = await run('ollama: chat per item', [
			itemsNode('Questions', [{ q: 'why is the sky blue?' }, { q: 'and the sea?' }]),
			ollamaNode({
				resource: 'text',
				operation: 'chat',
				model: model('llama3.2'),
				prompt: '={{ $json.q }}',
				options: { systemPrompt: 'Be brief.', temperature: 0.2, numCtx: 8192, seed: 3, keepAlive: '10m' },
			}),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const items = outputOf(result, 'Ollama');
		assert.deepEqual(
			items.map((item) => [item.json.content, item.pairedItem]),
			[
				['llama3.2:latest says: why is the sky blue?', { item: 0 }],
				['llama3.2:latest says: and the sea?', { item: 1 }],
			],
		);
		const sent = sim.requests.filter((request) => request.path === '/api/chat').at(-1)?.body;
		assert.deepEqual(sent?.options, { temperature: 0.2, num_ctx: 8192, seed: 3 });
		assert.equal(sent?.keep_alive, '10m');
		assert.deepEqual(
			(sent?.messages as Array<{ role: string }>).map((message) => message.role),
			['system', 'user'],
		);
	});

	it('sends earlier messages before the new one and rejects malformed history clearly', async () => {
		const history = JSON.stringify([
			{ role: 'user', content: 'my NAS is called vault' },
			{ role: 'assistant', content: 'noted' },
		]);
		const result = await run('ollama: history', [
			ollamaNode({
				resource: 'text',
				operation: 'chat',
				model: model('llama3.2'),
				prompt: 'what is my NAS called?',
				options: { history, systemPrompt: 'Remember things.' },
			}),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const sent = sim.requests.filter((request) => request.path === '/api/chat').at(-1)?.body;
		assert.deepEqual(sent?.messages, [
			{ role: 'system', content: 'Remember things.' },
			{ role: 'user', content: 'my NAS is called vault' },
			{ role: 'assistant', content: 'noted' },
			{ role: 'user', content: 'what is my NAS called?' },
		]);
		const bad = await run('ollama: bad history', [
			ollamaNode({
				resource: 'text',
				operation: 'chat',
				model: model('llama3.2'),
				prompt: 'hi',
				options: { history: '[{"content": "no role"}]' },
			}),
		]);
		assert.equal(bad.status, 'error');
		assert.equal(bad.error?.message, 'Previous Messages entry 1 needs a "role" and a text "content"');
	});

	it('returns structured output built from fields, parsed and validated, retrying invalid answers', async () => {
		sim.structured = ['invalid', 'valid'];
		const result = await run('ollama: structured fields', [
			itemsNode('Mail', [{ text: 'The NAS is on fire' }]),
			ollamaNode({
				resource: 'text',
				operation: 'chat',
				model: model('llama3.2'),
				prompt: '=Classify: {{ $json.text }}',
				responseFormat: 'fields',
				outputFields: {
					field: [
						{ name: 'category', type: 'string', enumValues: 'urgent, normal', required: true },
						{ name: 'score', type: 'integer', required: true },
					],
				},
				structuredRetries: 2,
			}),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const [item] = outputOf(result, 'Ollama');
		assert.deepEqual(item.json.data, { category: 'urgent', score: 42 });
		assert.equal(item.json.attempts, 2);
		const format = sim.requests.filter((request) => request.path === '/api/chat').at(-1)?.body?.format;
		assert.deepEqual(format, {
			type: 'object',
			properties: {
				category: { type: 'string', enum: ['urgent', 'normal'] },
				score: { type: 'integer' },
			},
			required: ['category', 'score'],
			additionalProperties: false,
		});
	});

	it('fails clearly when the output stays invalid; continue-on-fail keeps the other items, paired', async () => {
		// Item 0: valid; item 1: invalid twice (1 retry) -> error item; item 2: valid.
		sim.structured = ['valid', 'invalid', 'garbage', 'valid'];
		const schema = JSON.stringify({
			type: 'object',
			properties: { city: { type: 'string' } },
			required: ['city'],
		});
		const result = await run('ollama: structured failure', [
			itemsNode('Q', [{ q: 'a' }, { q: 'b' }, { q: 'c' }]),
			ollamaNode(
				{
					resource: 'text',
					operation: 'chat',
					model: model('llama3.2'),
					prompt: '={{ $json.q }}',
					responseFormat: 'jsonSchema',
					jsonSchema: schema,
					structuredRetries: 1,
				},
				{ onError: 'continueRegularOutput' },
			),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const items = outputOf(result, 'Ollama');
		assert.deepEqual(
			items.map((item) => item.pairedItem),
			[{ item: 0 }, { item: 1 }, { item: 2 }],
		);
		assert.deepEqual(items[0].json.data, { city: 'sample city' });
		assert.match(
			String(items[1].json.error),
			/^The model "llama3\.2" gave no valid structured output in 2 attempt\(s\): attempt 1: \$\.city: expected string, got integer \| attempt 2: not valid JSON/,
		);
		assert.match(String(items[1].json.errorDescription), /Last answer: Sure! Here is the JSON/);
		assert.deepEqual(items[2].json.data, { city: 'sample city' });
	});

	it('names the missing model and the exact pull command; continue-on-fail pairs the error item', async () => {
		const stopped = await run('ollama: model not pulled', [
			itemsNode('Q', [{ m: 'llama3.2' }, { m: 'mistral:7b' }]),
			ollamaNode({
				resource: 'text',
				operation: 'chat',
				model: model('={{ $json.m }}'),
				prompt: 'hi',
			}),
		]);
		assert.equal(stopped.status, 'error');
		assert.equal(stopped.error?.node?.name, 'Ollama');
		assert.equal(
			stopped.error?.message,
			`The model "mistral:7b" is not available on the Ollama server at 127.0.0.1:${sim.port}`,
		);
		assert.match(String(stopped.error?.description), /ollama pull mistral:7b/);

		const continued = await run('ollama: model not pulled, continue', [
			itemsNode('Q', [{ m: 'mistral:7b' }, { m: 'llama3.2' }]),
			ollamaNode(
				{ resource: 'text', operation: 'chat', model: model('={{ $json.m }}'), prompt: 'hi' },
				{ onError: 'continueRegularOutput' },
			),
		]);
		assert.equal(continued.status, 'success');
		const items = outputOf(continued, 'Ollama');
		assert.deepEqual(
			items.map((item) => item.pairedItem),
			[{ item: 0 }, { item: 1 }],
		);
		assert.match(String(items[0].json.errorDescription), /ollama pull mistral:7b/);
		assert.equal(items[1].json.content, 'llama3.2:latest says: hi');
	});

	it('says in words that Ollama is unreachable and points Docker users at host.docker.internal', async () => {
		const port = await freePort();
		const name = `Ollama closed port ${Date.now()}`;
		const id = await n8n.createCredential(name, 'ollamaApi', {
			baseUrl: `http://localhost:${port}`,
			apiKey: '',
			extraHeaders: '',
		});
		const result = await run('ollama: unreachable', [
			ollamaNode({ resource: 'model', operation: 'list' }, {}, { id, name }),
		]);
		assert.equal(result.status, 'error');
		assert.match(
			String(result.error?.message),
			new RegExp(`Cannot reach Ollama at localhost:${port}: connection refused`),
		);
		assert.match(String(result.error?.description), /host\.docker\.internal/);
	});

	it('returns tool calls, thinking, and sends a binary image to a vision model', async () => {
		const tools = JSON.stringify([
			{
				type: 'function',
				function: {
					name: 'restart_container',
					description: 'Restart a Docker container',
					parameters: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
				},
			},
		]);
		const toolResult = await run('ollama: tools', [
			ollamaNode({
				resource: 'text',
				operation: 'chat',
				model: model('llama3.2'),
				prompt: 'Jellyfin hangs, fix it',
				options: { tools },
			}),
		]);
		assert.equal(toolResult.status, 'success', JSON.stringify(toolResult.error));
		const [called] = outputOf(toolResult, 'Ollama');
		assert.deepEqual(called.json.toolCalls, [
			{ name: 'restart_container', arguments: { name: 'sample name' } },
		]);

		const imageCode: WorkflowNode = {
			name: 'Photo',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			parameters: {
				jsCode: `const data = await this.helpers.prepareBinaryData(Buffer.from('${PNG_1PX}', 'base64'), 'door.png', 'image/png');\nreturn [{ json: {}, binary: { photo: data } }];`,
			},
		};
		const vision = await run('ollama: vision', [
			imageCode,
			ollamaNode({
				resource: 'text',
				operation: 'chat',
				model: model('qwen3-vl:8b'),
				prompt: 'Who is at the door?',
				options: { images: 'photo', think: true },
			}),
		]);
		assert.equal(vision.status, 'success', JSON.stringify(vision.error));
		const [seen] = outputOf(vision, 'Ollama');
		assert.equal(seen.json.content, 'qwen3-vl:8b says: Who is at the door? [saw 1 image(s): PNG]');
		assert.equal(seen.json.thinking, 'Let me think. Done thinking.');
	});

	it('generates, and embeds a batch of texts into one vector per text', async () => {
		const generated = await run('ollama: generate', [
			ollamaNode({
				resource: 'text',
				operation: 'generate',
				model: model('llama3.2'),
				prompt: 'Say {"ok": true}',
				options: { system: 'json only' },
			}),
		]);
		assert.equal(generated.status, 'success', JSON.stringify(generated.error));
		assert.equal(
			outputOf(generated, 'Ollama')[0].json.response,
			'llama3.2:latest says: (json only) Say {"ok": true}',
		);

		const embedded = await run('ollama: embed batch', [
			itemsNode('Docs', [{ chunks: ['alpha', 'beta', 'alpha'] }]),
			ollamaNode({
				resource: 'embedding',
				operation: 'embed',
				model: model('nomic-embed-text'),
				inputMode: 'batch',
				texts: '={{ $json.chunks }}',
			}),
		]);
		assert.equal(embedded.status, 'success', JSON.stringify(embedded.error));
		const vectors = outputOf(embedded, 'Ollama');
		assert.equal(vectors.length, 3);
		assert.deepEqual(
			vectors.map((item) => [item.json.index, item.json.text, item.json.dimensions, item.pairedItem]),
			[
				[0, 'alpha', 8, { item: 0 }],
				[1, 'beta', 8, { item: 0 }],
				[2, 'alpha', 8, { item: 0 }],
			],
		);
		assert.deepEqual(vectors[0].json.embedding, vectors[2].json.embedding);
		assert.equal(
			sim.requests.filter((request) => request.path === '/api/embed').length,
			1,
			'one request for the batch',
		);
	});

	it('manages models: pull (resuming after a drop), list, show, copy, running, delete', async () => {
		sim.pullChunkBytes = 100_000_000;
		sim.dropPullAfter = 3;
		const pulled = await run('ollama: pull', [
			ollamaNode({ resource: 'model', operation: 'pull', modelName: 'gemma3:1b' }),
		]);
		assert.equal(pulled.status, 'success', JSON.stringify(pulled.error));
		assert.deepEqual(outputOf(pulled, 'Ollama')[0].json, {
			model: 'gemma3:1b',
			status: 'success',
			attempts: 2,
			resumedBytes: 100_000_000,
		});

		assert.match(n8n.log(), /Pulling gemma3:1b: pulling [0-9a-f]{12} \d+% \(attempt 2\)/);
		assert.match(n8n.log(), /Pulling gemma3:1b: success/);

		const listed = await run('ollama: list', [ollamaNode({ resource: 'model', operation: 'list' })]);
		assert.ok(outputOf(listed, 'Ollama').some((item) => item.json.name === 'gemma3:1b'));

		const shown = await run('ollama: show', [
			ollamaNode({ resource: 'model', operation: 'show', model: model('gemma3:1b') }),
		]);
		assert.deepEqual(outputOf(shown, 'Ollama')[0].json.capabilities, ['completion']);

		const copied = await run('ollama: copy', [
			ollamaNode({
				resource: 'model',
				operation: 'copy',
				model: model('gemma3:1b'),
				destination: 'gemma-backup',
			}),
		]);
		assert.deepEqual(outputOf(copied, 'Ollama')[0].json, {
			source: 'gemma3:1b',
			destination: 'gemma-backup',
			copied: true,
		});

		const running = await run('ollama: running', [ollamaNode({ resource: 'model', operation: 'running' })]);
		assert.ok(outputOf(running, 'Ollama').some((item) => item.json.name === 'llama3.2:latest'));

		const deleted = await run('ollama: delete', [
			ollamaNode({ resource: 'model', operation: 'delete', model: model('gemma-backup') }),
		]);
		assert.deepEqual(outputOf(deleted, 'Ollama')[0].json, { model: 'gemma-backup', deleted: true });
		assert.ok(!sim.models.has('gemma-backup:latest'));
	});

	it('waits for a slow model by default and honours a configured timeout', async () => {
		sim.delayMs = 2500;
		const chat = (options: Record<string, unknown>) =>
			ollamaNode({ resource: 'text', operation: 'chat', model: model('llama3.2'), prompt: 'slow', options });
		const started = Date.now();
		const waited = await run('ollama: slow, no timeout', [chat({})]);
		assert.equal(waited.status, 'success', JSON.stringify(waited.error));
		assert.ok(Date.now() - started >= 2500);
		const limited = await run('ollama: slow, timeout', [chat({ timeout: 500 })]);
		assert.equal(limited.status, 'error');
		assert.match(String(limited.error?.message), /did not finish within the configured timeout of 500 ms/);
	});

	it('cancels the request to Ollama when the workflow is stopped', async () => {
		sim.delayMs = 120_000;
		const before = sim.abandoned;
		const workflowId = await n8n.importWorkflow(
			linearWorkflow('ollama: stop', [
				ollamaNode({ resource: 'text', operation: 'chat', model: model('llama3.2'), prompt: 'forever' }),
			]),
		);
		// Listen before starting: n8n may reach the simulator before the run request even returns.
		const waiting = sim.untilWaiting();
		const started = await n8n.rest<{ data: { executionId: string } }>(
			'POST',
			`/workflows/${workflowId}/run`,
			{
				triggerToStartFrom: { name: 'Manual Trigger' },
			},
		);
		await waiting;
		const stopped = await n8n.rest<{ data: { status: string } }>(
			'POST',
			`/executions/${started.data.executionId}/stop`,
		);
		assert.equal(stopped.data.status, 'canceled');
		await waitFor(
			'the simulator to see the request abandoned',
			async () => await Promise.resolve(sim.abandoned > before ? true : undefined),
			{
				timeoutMs: 10_000,
				intervalMs: 50,
			},
		);
		const execution = await n8n.waitForExecution(started.data.executionId, 20_000);
		assert.notEqual(execution.status, 'success');
	});

	it('runs the README example workflow (docs/readme/ollama-example.workflow.json) as published', async () => {
		const file = path.join(REPO_ROOT, 'docs/readme/ollama-example.workflow.json');
		const workflow = JSON.parse(readFileSync(file, 'utf8')) as WorkflowJson;
		const node = workflow.nodes.find((entry) => entry.name === 'Ollama');
		assert.ok(node);
		node.credentials = { ollamaApi: credential };
		const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow));
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const items = outputOf(result, 'Ollama');
		assert.deepEqual(
			items.map((item) => [item.json.data, item.pairedItem]),
			[
				[{ severity: 'low', service: 'sample service', action: 'sample action' }, { item: 0 }],
				[{ severity: 'low', service: 'sample service', action: 'sample action' }, { item: 1 }],
			],
		);
		const sent = sim.requests.filter((request) => request.path === '/api/chat').at(-1)?.body;
		assert.equal(
			(sent?.messages as Array<{ content: string }>)[1].content,
			'Triage this homelab alert: Jellyfin restarted 3 times in the last hour',
		);
	});

	it('offers the server’s models in the searchable model dropdown (listSearch)', async () => {
		const search = async (filter: string) =>
			await n8n.rest<{ data: { results: Array<{ name: string; value: string }> } }>(
				'POST',
				'/dynamic-node-parameters/resource-locator-results',
				{
					path: 'model',
					nodeTypeAndVersion: { name: 'n8n-nodes-homelab.ollama', version: 1 },
					currentNodeParameters: {
						resource: 'text',
						operation: 'chat',
						model: { __rl: true, mode: 'list', value: '' },
					},
					methodName: 'searchModels',
					filter,
					credentials: { ollamaApi: credential },
				},
			);
		const all = (await search('')).data.results.map((result) => result.value);
		assert.ok(all.includes('llama3.2:latest') && all.includes('qwen3-vl:8b'), JSON.stringify(all));
		const filtered = (await search('QWEN')).data.results;
		assert.deepEqual(filtered, [{ name: 'qwen3-vl:8b (8.8B)', value: 'qwen3-vl:8b' }]);
	});

	it('tests the credential against /api/version and reports an unreachable server', async () => {
		const test = async (baseUrl: string) =>
			await n8n.rest<{ data: { status: string; message: string } }>('POST', '/credentials/test', {
				credentials: {
					id: credential.id,
					name: credential.name,
					type: 'ollamaApi',
					data: { baseUrl, apiKey: '', extraHeaders: '' },
				},
			});
		const ok = await test(sim.url);
		assert.equal(ok.data.status, 'OK', JSON.stringify(ok));
		assert.equal(sim.requests.at(-1)?.path, '/api/version');
		const down = await test(`http://127.0.0.1:${await freePort()}`);
		assert.equal(down.data.status, 'Error', JSON.stringify(down));
		sim.requireBearer = 'lab-token';
		const denied = await test(sim.url);
		assert.equal(denied.data.status, 'Error', JSON.stringify(denied));
		const authed = await n8n.rest<{ data: { status: string; message: string } }>(
			'POST',
			'/credentials/test',
			{
				credentials: {
					id: credential.id,
					name: credential.name,
					type: 'ollamaApi',
					data: { baseUrl: sim.url, apiKey: 'lab-token', extraHeaders: '{"X-Lab": "test"}' },
				},
			},
		);
		assert.equal(authed.data.status, 'OK', JSON.stringify(authed));
		assert.equal(sim.requests.at(-1)?.headers['x-lab'], 'test');
	});

	it('sends the bearer token a proxy requires', async () => {
		sim.requireBearer = 'lab-token';
		const name = `Ollama behind proxy ${Date.now()}`;
		const id = await n8n.createCredential(name, 'ollamaApi', {
			baseUrl: sim.url,
			apiKey: 'lab-token',
			extraHeaders: '{"X-Lab": "yes"}',
		});
		const ok = await run('ollama: proxy ok', [
			ollamaNode({ resource: 'model', operation: 'list' }, {}, { id, name }),
		]);
		assert.equal(ok.status, 'success', JSON.stringify(ok.error));
		assert.equal(sim.requests.at(-1)?.headers['x-lab'], 'yes');
		const denied = await run('ollama: proxy denied', [ollamaNode({ resource: 'model', operation: 'list' })]);
		assert.equal(denied.status, 'error');
		assert.match(String(denied.error?.description), /API key/);
	});
});
