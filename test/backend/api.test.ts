// The HTTP API over a real listening server: auth, validation, limits, jobs, SSE, OpenAPI, metrics, log redaction.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { defineJob, type Json } from '../../backend/src/engine/types';
import { runCli, startApi, type LiveApi } from './api-server';
import { sleep } from './helpers';

describe('backend HTTP API', () => {
	let api: LiveApi;
	let url = '';
	let TOKEN = '';
	let release!: () => void;
	const gate = new Promise<void>((resolve) => (release = resolve));

	const demo = defineJob<{ n: number; password?: string; wait?: boolean }, unknown>({
		type: 'demo',
		description: 'two steps',
		inputSchema: {
			type: 'object',
			required: ['n'],
			additionalProperties: false,
			properties: { n: { type: 'integer' }, password: { type: 'string' }, wait: { type: 'boolean' } },
		},
		steps: () => [
			{
				name: 'first',
				run: async (ctx) => {
					await ctx.progress('half way', { pct: 50 });
					return ctx.input.n;
				},
			},
			{
				name: 'second',
				run: async (ctx) => {
					if (ctx.input.wait)
						await Promise.race([
							gate,
							new Promise((_, reject) =>
								ctx.signal.addEventListener('abort', () => reject(new Error('aborted'))),
							),
						]);
					return ((ctx.results.first as number) * 2) as Json;
				},
			},
		],
	});

	before(async () => {
		api = await startApi({ jobs: [demo] });
		url = api.url;
		TOKEN = api.token;
	});
	after(async () => {
		release();
		await api.close();
	});

	const call = (method: string, route: string, body?: unknown, headers: Record<string, string> = {}) =>
		api.call(method, route, body, headers);

	it('answers 401 without the right bearer token on every route but /healthz', async () => {
		assert.equal((await fetch(`${url}/healthz`)).status, 200);
		for (const [method, route] of [
			['GET', '/v1/info'],
			['GET', '/v1/jobs'],
			['POST', '/v1/jobs'],
			['GET', '/metrics'],
			['GET', '/openapi.json'],
			['GET', '/v1/jobs/00000000-0000-0000-0000-000000000000/events'],
			['GET', '/nope'],
		]) {
			const none = await fetch(`${url}${route}`, { method });
			assert.equal(none.status, 401, `${method} ${route}`);
			assert.equal(none.headers.get('www-authenticate'), 'Bearer');
			const wrong = await fetch(`${url}${route}`, { method, headers: { authorization: `Bearer ${TOKEN}x` } });
			assert.equal(wrong.status, 401);
		}
	});

	it('answers 400 on invalid bodies and queries, naming what is wrong', async () => {
		const cases: Array<[unknown, RegExp]> = [
			[{ input: {} }, /must have required property 'type'/],
			[{ type: 'demo' }, /must have required property 'input'/],
			[{ type: 'demo', input: { n: 'x' } }, /invalid input for demo: \/n must be integer/],
			[{ type: 'demo', input: { n: 1, extra: 1 } }, /must NOT have additional properties/],
			[{ type: 'nope', input: {} }, /unknown job type "nope"/],
			[{ type: 'demo', input: { n: 1 }, callbackUrl: 'ftp://x' }, /callbackUrl/],
			[
				{
					type: 'provision-vm',
					input: { node: 'pve', template: 9000, name: 'web', cloudInit: { user: 'u', ip: 'bogus' } },
				},
				/cloudInit\/ip must match/,
			],
			['{not json', /JSON/],
		];
		for (const [body, message] of cases) {
			const response = await call('POST', '/v1/jobs', body);
			assert.equal(response.status, 400, JSON.stringify(body));
			assert.match(((await response.json()) as { error: string }).error, message);
		}
		assert.equal((await call('GET', '/v1/jobs?status=bogus')).status, 400);
		assert.equal((await call('GET', '/v1/jobs/not-a-uuid')).status, 400);
	});

	it('answers 413 on a body over the limit', async () => {
		const response = await call('POST', '/v1/jobs', {
			type: 'demo',
			input: { n: 1, password: 'x'.repeat(100_000) },
		});
		assert.equal(response.status, 413);
	});

	it('submits, gets, lists a job; input secrets are redacted in answers and logs', async () => {
		const submitted = await call('POST', '/v1/jobs', {
			type: 'demo',
			input: { n: 21, password: 'hunter2-secret' },
		});
		assert.equal(submitted.status, 201);
		const job = (await submitted.json()) as { id: string; status: string; input: Record<string, unknown> };
		assert.equal(job.input.password, '[redacted]');
		let current: { status: string; result: unknown; steps: Array<{ name: string; status: string }> };
		do {
			await sleep(20);
			current = (await (await call('GET', `/v1/jobs/${job.id}`)).json()) as typeof current;
		} while (current.status !== 'succeeded');
		assert.deepEqual(current.result, { first: 21, second: 42 });
		assert.deepEqual(
			current.steps.map((step) => [step.name, step.status]),
			[
				['first', 'succeeded'],
				['second', 'succeeded'],
			],
		);
		const list = (await (await call('GET', '/v1/jobs?type=demo&status=succeeded')).json()) as {
			jobs: Array<{ id: string }>;
		};
		assert.ok(list.jobs.some((entry) => entry.id === job.id));
		assert.equal((await call('GET', '/v1/jobs/00000000-0000-0000-0000-000000000000')).status, 404);
		assert.ok(!api.logs().includes('hunter2-secret'), 'the secret never reaches the log');
		assert.ok(!api.logs().includes(TOKEN), 'the token never reaches the log');
		assert.ok(api.logs().includes('job succeeded'));
	});

	it('streams progress as server-sent events until the job ends, then can cancel', async () => {
		const { id } = (await (
			await call('POST', '/v1/jobs', { type: 'demo', input: { n: 2, wait: true } })
		).json()) as { id: string };
		const response = await call('GET', `/v1/jobs/${id}/events`);
		assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
		const reader = response.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
		let text = '';
		while (!/event: step-started[\s\S]*event: step-started/.test(text)) {
			const chunk = await reader.read();
			if (chunk.done) break;
			text += Buffer.from(chunk.value).toString();
		}
		const cancelled = (await (await call('POST', `/v1/jobs/${id}/cancel`)).json()) as { status: string };
		assert.equal(cancelled.status, 'cancelled');
		for (;;) {
			const chunk = await reader.read();
			if (chunk.done) break;
			text += Buffer.from(chunk.value).toString();
		}
		const kinds = [...text.matchAll(/^event: (.+)$/gm)].map((match) => match[1]);
		assert.deepEqual(kinds, [
			'job-queued',
			'job-started',
			'step-started',
			'progress',
			'step-succeeded',
			'step-started',
			'cancel-requested',
			'job-cancelled',
		]);
		assert.match(
			text,
			/event: progress\ndata: \{"step":"first","index":0,"total":2,"message":"half way","pct":50,/,
		);
		// resuming after an event id replays only what follows
		const resumed = await (
			await call('GET', `/v1/jobs/${id}/events`, undefined, { 'last-event-id': '0' })
		).text();
		assert.equal([...resumed.matchAll(/^event: /gm)].length, kinds.length);
	});

	it('the homelab CLI submits, follows with a progress bar and lists', async () => {
		const cli = (...args: string[]) => runCli(api, ...args);
		const followed = await cli('submit', 'selftest', '{"steps": 3, "echo": "cli"}', '--follow');
		assert.equal(followed.code, 0, followed.out);
		assert.match(followed.out, /\[#{30}\] 3\/3 succeeded/);
		assert.match(followed.out, /"echo": "cli"/);
		const id = /submitted selftest (\S+)/.exec(followed.out)![1];
		const listed = await cli('jobs', '--type', 'selftest');
		assert.equal(listed.code, 0);
		assert.match(listed.out, new RegExp(`${id} .* selftest +succeeded`));
		const refused = await cli('submit', 'selftest', '{"steps": 0}');
		assert.equal(refused.code, 1);
		assert.match(
			refused.out,
			/homelab: POST \/v1\/jobs: 400 invalid input for selftest: \/steps must be >= 1/,
		);
	});

	it('serves OpenAPI, job types, info and Prometheus metrics', async () => {
		const spec = (await (await call('GET', '/openapi.json')).json()) as {
			openapi: string;
			paths: Record<string, unknown>;
		};
		assert.equal(spec.openapi, '3.1.0');
		assert.ok(spec.paths['/v1/jobs'] && spec.paths['/v1/jobs/{id}/events']);
		const types = (await (await call('GET', '/v1/job-types')).json()) as Array<{ type: string }>;
		assert.deepEqual(types.map((type) => type.type).sort(), [
			'backup-run',
			'demo',
			'deploy-stack',
			'provision-vm',
			'selftest',
		]);
		const info = (await (await call('GET', '/v1/info')).json()) as { store: string; migrations: string };
		assert.equal(info.store, 'sqlite');
		assert.equal(info.migrations, '3'); // 001 instance info, 002 jobs, 003 notes
		const metrics = await (await call('GET', '/metrics')).text();
		assert.match(metrics, /^homelab_backend_jobs\{status="succeeded"\} [1-9]/m);
		assert.match(metrics, /^homelab_backend_steps_total\{type="demo",outcome="succeeded"\} [1-9]/m);
		assert.match(
			metrics,
			/^homelab_backend_http_requests_total\{method="POST",route="\/v1\/jobs",status="400"\} [1-9]/m,
		);
		assert.match(metrics, /^process_resident_memory_bytes \d+/m);
	});
});
