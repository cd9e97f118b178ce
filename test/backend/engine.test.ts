// The engine over both stores: journaling, resume, fencing, retries, timeouts, cancel, locks, concurrency,
// idempotent checks, callbacks.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';

import { Engine } from '../../backend/src/engine/engine';
import { defineJob, PermanentError, type Json, type StepDefinition } from '../../backend/src/engine/types';
import { LeaseLostError, type Store } from '../../backend/src/store/types';
import { bothStores, settled, sleep, until } from './helpers';

interface TestInput {
	tag?: string;
	lock?: string;
}

function engineFor(
	store: Store,
	jobs: Parameters<typeof defineJob>[0][],
	options: Partial<ConstructorParameters<typeof Engine>[0]> = {},
) {
	const engine = new Engine({
		store,
		jobs,
		services: {},
		pollMs: 20,
		leaseMs: 2000,
		defaultRetry: { initialDelayMs: 10, maxDelayMs: 50 },
		...options,
	});
	engine.start();
	return engine;
}

for (const kind of bothStores()) {
	describe(`engine on ${kind.name}`, () => {
		it('journals every step before the next starts and passes outputs along', async () => {
			const store = await kind.open();
			const seen: string[] = [];
			const job = defineJob<TestInput, unknown>({
				type: 'three',
				description: 'three steps',
				inputSchema: { type: 'object' },
				steps: () =>
					['a', 'b', 'c'].map(
						(name): StepDefinition<TestInput, unknown> => ({
							name,
							run: async (ctx) => {
								// the previous step is journaled (succeeded) by the time this one runs
								const journal = await store.steps(ctx.jobId);
								seen.push(`${name}:${journal.map((step) => `${step.name}=${step.status}`).join(',')}`);
								return { [name]: Object.keys(ctx.results).length };
							},
						}),
					),
				result: (results) => ({ last: results.c }),
			});
			const engine = engineFor(store, [job]);
			const { job: submitted } = await engine.submit({ type: 'three', input: {} });
			const done = await settled(store, submitted.id);
			await engine.stop();
			assert.equal(done.status, 'succeeded');
			assert.deepEqual(done.result, { last: { c: 2 } });
			assert.deepEqual(seen, [
				'a:a=running',
				'b:a=succeeded,b=running',
				'c:a=succeeded,b=succeeded,c=running',
			]);
			const steps = await store.steps(submitted.id);
			assert.deepEqual(
				steps.map((step) => [step.name, step.status, step.attempts]),
				[
					['a', 'succeeded', 1],
					['b', 'succeeded', 1],
					['c', 'succeeded', 1],
				],
			);
			const kinds = (await store.events(submitted.id, 0)).map((event) => event.kind);
			assert.deepEqual(kinds, [
				'job-queued',
				'job-started',
				...[
					'step-started',
					'step-succeeded',
					'step-started',
					'step-succeeded',
					'step-started',
					'step-succeeded',
				],
				'job-succeeded',
			]);
		});

		it('resumes a job at its first unfinished step after a handover, never re-running done steps', async () => {
			const store = await kind.open();
			const runs = new Map<string, number>();
			let release!: () => void;
			const gate = new Promise<void>((resolve) => (release = resolve));
			const job = defineJob<TestInput, unknown>({
				type: 'gated',
				description: '',
				inputSchema: { type: 'object' },
				steps: () =>
					['one', 'two', 'three'].map((name) => ({
						name,
						run: async (ctx) => {
							runs.set(name, (runs.get(name) ?? 0) + 1);
							if (name === 'two' && runs.get(name) === 1) {
								// first engine: hangs here until it is stopped
								await new Promise((_, reject) =>
									ctx.signal.addEventListener('abort', () => reject(new Error('stopped'))),
								);
							}
							if (name === 'three') await gate;
							return name;
						},
					})),
			});
			const first = engineFor(store, [job]);
			const { job: submitted } = await first.submit({ type: 'gated', input: {} });
			await until('step two to start', async () => (runs.get('two') ? true : undefined));
			await first.stop();
			const handedBack = await store.getJob(submitted.id);
			assert.equal(handedBack?.status, 'running');
			assert.equal(handedBack?.leaseOwner, null);
			const second = engineFor(store, [job]);
			release();
			const done = await settled(store, submitted.id);
			await second.stop();
			assert.equal(done.status, 'succeeded');
			assert.equal(done.claims, 2);
			assert.deepEqual(Object.fromEntries(runs), { one: 1, two: 2, three: 1 });
			const resumed = (await store.events(submitted.id, 0)).filter((event) => event.kind === 'job-started');
			assert.deepEqual(
				resumed.map((event) => event.data.resumeAt),
				[0, 1],
			);
		});

		it('takes over a job whose lease lapsed; the old holder can no longer journal (fencing)', async () => {
			const store = await kind.open();
			const runs: string[] = [];
			const job = defineJob<TestInput, unknown>({
				type: 'lease',
				description: '',
				inputSchema: { type: 'object' },
				steps: () => ['x', 'y'].map((name) => ({ name, run: async () => (runs.push(name), name) })),
			});
			// an engine that claimed the job, journaled step x, then froze (no renewals)
			const { job: queued } = await store.insertJob({
				id: crypto.randomUUID(),
				type: 'lease',
				input: {},
				lockKeys: [],
			});
			const dead = await store.claim('frozen-engine', 150, ['lease']);
			assert.equal(dead?.job.id, queued.id);
			await store.startStep(queued.id, dead.token, 0, 'x');
			await store.finishStep(queued.id, dead.token, 0, { status: 'succeeded', output: 'x' });
			assert.equal(await store.claim('other', 1000, ['lease']), undefined, 'a live lease is not claimable');
			await sleep(200);
			const engine = engineFor(store, [job]);
			const done = await settled(store, queued.id);
			await engine.stop();
			assert.equal(done.status, 'succeeded');
			assert.deepEqual(runs, ['y']);
			await assert.rejects(store.startStep(queued.id, dead.token, 1, 'y'), LeaseLostError);
			assert.equal((await store.renew(queued.id, dead.token, 1000)).ok, false);
		});

		it('retries with backoff up to the maximum, then fails the job; permanent errors fail at once', async () => {
			const store = await kind.open();
			const calls = new Map<string, number>();
			const flaky = (failTimes: number, maxAttempts: number, permanent = false) =>
				defineJob<TestInput, unknown>({
					type: `flaky-${failTimes}-${maxAttempts}-${permanent}`,
					description: '',
					inputSchema: { type: 'object' },
					retry: { maxAttempts },
					steps: () => [
						{
							name: 'flaky',
							run: async (ctx) => {
								const n = (calls.get(ctx.jobId) ?? 0) + 1;
								calls.set(ctx.jobId, n);
								if (n <= failTimes)
									throw permanent ? new PermanentError('no such template') : new Error(`boom ${n}`);
								return n;
							},
						},
					],
				});
			const jobs = [flaky(2, 3), flaky(2, 2), flaky(1, 5, true)];
			const engine = engineFor(store, jobs);
			const ids = [];
			for (const definition of jobs)
				ids.push((await engine.submit({ type: definition.type, input: {} })).job.id);
			const [ok, exhausted, permanent] = await Promise.all(ids.map((id) => settled(store, id)));
			await engine.stop();
			assert.equal(ok.status, 'succeeded');
			assert.deepEqual(ok.result, { flaky: 3 });
			const okStep = (await store.steps(ok.id))[0];
			assert.equal(okStep.failures, 2);
			assert.equal(okStep.attempts, 3);
			assert.equal(exhausted.status, 'failed');
			assert.match(exhausted.error ?? '', /step flaky failed after 2 attempt\(s\): boom 2/);
			assert.equal(calls.get(exhausted.id), 2);
			assert.equal(permanent.status, 'failed');
			assert.equal(calls.get(permanent.id), 1);
			const retries = (await store.events(ok.id, 0)).filter((event) => event.kind === 'step-retry');
			assert.equal(retries.length, 2);
			assert.ok(retries.every((event) => typeof event.data.delayMs === 'number'));
		});

		it('times a step out, aborting its signal', async () => {
			const store = await kind.open();
			let aborted = 0;
			const job = defineJob<TestInput, unknown>({
				type: 'slow',
				description: '',
				inputSchema: { type: 'object' },
				steps: () => [
					{
						name: 'hang',
						timeoutMs: 100,
						retry: { maxAttempts: 2 },
						run: (ctx) =>
							new Promise<Json>((_, reject) =>
								ctx.signal.addEventListener('abort', () => {
									aborted++;
									reject(new Error('aborted'));
								}),
							),
					},
				],
			});
			const engine = engineFor(store, [job]);
			const { job: submitted } = await engine.submit({ type: 'slow', input: {} });
			const done = await settled(store, submitted.id);
			await engine.stop();
			assert.equal(done.status, 'failed');
			assert.match(done.error ?? '', /timed out after 100 ms/);
			assert.equal(aborted, 2);
		});

		it('cancels a running job (its step sees the abort) and a queued one (never starts)', async () => {
			const store = await kind.open();
			const started: string[] = [];
			const job = defineJob<TestInput, unknown>({
				type: 'long',
				description: '',
				inputSchema: { type: 'object' },
				concurrency: 1,
				steps: () => [
					{
						name: 'wait',
						run: (ctx) => {
							started.push(ctx.jobId);
							return new Promise<Json>((_, reject) =>
								ctx.signal.addEventListener('abort', () => reject(new Error('aborted'))),
							);
						},
					},
				],
			});
			const engine = engineFor(store, [job]);
			const running = (await engine.submit({ type: 'long', input: {} })).job;
			const queued = (await engine.submit({ type: 'long', input: {} })).job;
			await until('the first job to start', async () => (started.length ? true : undefined));
			const cancelledQueued = await engine.cancel(queued.id);
			assert.equal(cancelledQueued?.status, 'cancelled');
			const cancelledRunning = await engine.cancel(running.id);
			assert.equal(cancelledRunning?.status, 'cancelled');
			await sleep(100);
			await engine.stop();
			assert.deepEqual(started, [running.id]);
			assert.equal((await store.steps(queued.id)).length, 0);
		});

		it('a cancel requested through another instance reaches the running engine on its lease renewal', async () => {
			const store = await kind.open();
			const other = await kind.reopen();
			let started = false;
			const job = defineJob<TestInput, unknown>({
				type: 'remote-cancel',
				description: '',
				inputSchema: { type: 'object' },
				steps: () => [
					{
						name: 'wait',
						run: (ctx) => {
							started = true;
							return new Promise<Json>((_, reject) =>
								ctx.signal.addEventListener('abort', () => reject(new Error('x'))),
							);
						},
					},
				],
			});
			const engine = engineFor(store, [job], { leaseMs: 300 });
			const { job: submitted } = await engine.submit({ type: 'remote-cancel', input: {} });
			await until('start', async () => (started ? true : undefined));
			await other.requestCancel(submitted.id);
			const done = await settled(store, submitted.id);
			await engine.stop();
			assert.equal(done.status, 'cancelled');
		});

		it('holds resource locks for a job’s whole run (one operation per VM) and limits concurrency', async () => {
			const store = await kind.open();
			const active = new Map<string, number>();
			let maxPerLock = 0;
			let maxTotal = 0;
			let total = 0;
			const job = defineJob<TestInput, unknown>({
				type: 'locked',
				description: '',
				inputSchema: { type: 'object' },
				locks: (input) => [`vm:${input.lock}`],
				steps: () =>
					['s1', 's2'].map((name) => ({
						name,
						run: async (ctx) => {
							const lock = ctx.input.lock!;
							if (name === 's1') {
								active.set(lock, (active.get(lock) ?? 0) + 1);
								total++;
							}
							maxPerLock = Math.max(maxPerLock, active.get(lock)!);
							maxTotal = Math.max(maxTotal, total);
							await sleep(15);
							if (name === 's2') {
								active.set(lock, active.get(lock)! - 1);
								total--;
							}
							return name;
						},
					})),
			});
			const engine = engineFor(store, [job], { concurrency: 3 });
			const ids = [];
			for (let i = 0; i < 12; i++)
				ids.push((await engine.submit({ type: 'locked', input: { lock: String(100 + (i % 4)) } })).job.id);
			const jobs = await Promise.all(ids.map((id) => settled(store, id)));
			await engine.stop();
			assert.ok(jobs.every((done) => done.status === 'succeeded'));
			assert.equal(maxPerLock, 1, 'never two jobs on one VM at once');
			assert.equal(maxTotal, 3, 'three at once (the concurrency limit), on different VMs');
		});

		it('a step whose check finds what an earlier attempt created does not act again', async () => {
			const store = await kind.open();
			const created = new Set<string>();
			let creations = 0;
			let crashOnce = true;
			const job = defineJob<TestInput, unknown>({
				type: 'create',
				description: '',
				inputSchema: { type: 'object' },
				steps: () => [
					{
						name: 'create',
						check: async (ctx) => (created.has(ctx.key) ? { found: ctx.key } : undefined),
						run: async (ctx) => {
							creations++;
							created.add(ctx.key);
							if (crashOnce) {
								// created, but failed before the result was journaled
								crashOnce = false;
								throw new Error('connection reset after create');
							}
							return { made: ctx.key };
						},
					},
				],
			});
			const engine = engineFor(store, [job]);
			const { job: submitted } = await engine.submit({ type: 'create', input: {} });
			const done = await settled(store, submitted.id);
			await engine.stop();
			assert.equal(done.status, 'succeeded');
			assert.equal(creations, 1);
			assert.deepEqual(done.result, { create: { found: `homelab-job:${submitted.id}:create` } });
			const recovered = (await store.events(submitted.id, 0)).find(
				(event) => event.kind === 'step-succeeded',
			);
			assert.equal(recovered?.data.recovered, true);
		});

		it('validates input, and an idempotency key returns the job already submitted', async () => {
			const store = await kind.open();
			const job = defineJob<{ n: number }, unknown>({
				type: 'typed',
				description: '',
				inputSchema: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
				steps: () => [{ name: 'a', run: async (ctx) => ctx.input.n }],
			});
			const engine = new Engine({ store, jobs: [job], services: {} });
			await assert.rejects(
				engine.submit({ type: 'typed', input: { n: 'x' } }),
				/invalid input for typed: \/n must be integer/,
			);
			await assert.rejects(engine.submit({ type: 'nope', input: {} }), /unknown job type "nope"/);
			const first = await engine.submit({ type: 'typed', input: { n: 1 }, idempotencyKey: 'k1' });
			const again = await engine.submit({ type: 'typed', input: { n: 1 }, idempotencyKey: 'k1' });
			assert.equal(first.created, true);
			assert.equal(again.created, false);
			assert.equal(again.job.id, first.job.id);
			// the same key for different work is a mistake to report, not a job to hand back silently
			await assert.rejects(
				engine.submit({ type: 'typed', input: { n: 2 }, idempotencyKey: 'k1' }),
				/idempotency key already used by job .* with another type or input/,
			);
		});

		it('POSTs the result to the callback URL when the job ends, retrying until it is accepted', async () => {
			const store = await kind.open();
			const bodies: unknown[] = [];
			const server = http.createServer((request, response) => {
				let body = '';
				request.on('data', (chunk: Buffer) => (body += chunk.toString()));
				request.on('end', () => {
					bodies.push(JSON.parse(body));
					response.writeHead(bodies.length === 1 ? 503 : 200).end();
				});
			});
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook-waiting/1?signature=abc`;
			const job = defineJob<TestInput, unknown>({
				type: 'cb',
				description: '',
				inputSchema: { type: 'object' },
				steps: () => [{ name: 'a', run: async () => 42 }],
			});
			const engine = engineFor(store, [job], { callbackInitialDelayMs: 50 });
			const { job: submitted } = await engine.submit({ type: 'cb', input: {}, callbackUrl: url });
			const delivered = await until('callback delivered', async () => {
				const current = await store.getJob(submitted.id);
				return current?.callbackState === 'delivered' ? current : undefined;
			});
			await engine.stop();
			server.close();
			assert.equal(delivered.callbackAttempts, 2);
			assert.equal(bodies.length, 2);
			assert.deepEqual(bodies[1], {
				jobId: submitted.id,
				type: 'cb',
				status: 'succeeded',
				result: { a: 42 },
				error: null,
				finishedAt: new Date(delivered.finishedAt!).toISOString(),
			});
		});
	});
}
