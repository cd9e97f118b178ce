import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import os from 'node:os';

import Ajv, { type ValidateFunction } from 'ajv';

import { abortReason, sleep, withTimeout } from '../../../shared/timing';
import type { Claim, JobRow, Store } from '../store/types';
import { LeaseLostError } from '../store/types';
import {
	PermanentError,
	StepTimeoutError,
	type AnyJobDefinition,
	type Json,
	type RetryPolicy,
	type StepContext,
	type StepDefinition,
} from './types';

export interface Logger {
	info(object: object, message: string): void;
	warn(object: object, message: string): void;
	error(object: object, message: string): void;
}

const silent: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface EngineOptions<S> {
	store: Store;
	jobs: Array<AnyJobDefinition<S>>;
	services: S;
	/** unique per process; shows up as lease owner */
	workerId?: string;
	/** jobs this engine runs at once */
	concurrency?: number;
	/** a claimed job's lease; renewed every third of it. Another instance takes over a job after it lapses. */
	leaseMs?: number;
	/** how often to look for work when idle (submits through this engine wake it at once) */
	pollMs?: number;
	defaultRetry?: Partial<RetryPolicy>;
	defaultStepTimeoutMs?: number;
	/** after cancel, timeout or shutdown, how long a step may take to settle before the engine moves on */
	abortGraceMs?: number;
	/** callback delivery: attempts and first backoff (doubling, capped at 5 min) */
	callbackMaxAttempts?: number;
	callbackInitialDelayMs?: number;
	logger?: Logger;
}

export interface SubmitRequest {
	type: string;
	input: unknown;
	callbackUrl?: string;
	idempotencyKey?: string;
}

/** The input failed its job type's schema (the API answers 400). */
export class InputError extends Error {
	constructor(
		message: string,
		readonly details: unknown[] = [],
	) {
		super(message);
		this.name = 'InputError';
	}
}

type AbortReason = 'cancel' | 'shutdown' | 'lease-lost';

interface Running {
	claim: Claim;
	controller: AbortController;
	reason?: AbortReason;
	done: Promise<void>;
}

/** Step and job outcomes, for /metrics. */
export interface EngineEvents {
	step: [
		{
			type: string;
			step: string;
			outcome: 'succeeded' | 'recovered' | 'skipped' | 'retry' | 'failed';
			ms: number;
		},
	];
	job: [{ type: string; status: 'succeeded' | 'failed' | 'cancelled' }];
	callback: [{ delivered: boolean }];
}

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, initialDelayMs: 1000, maxDelayMs: 60_000 };

export function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * The durable job engine. Claims jobs from the store (lease + fencing token), runs their steps in order and
 * journals each outcome before the next step starts; retries with exponential backoff, per-step timeouts,
 * cancellation, per-resource locks (in the store's claim), a concurrency limit (global and per type),
 * progress events and callbacks to the URL given at submit.
 *
 * Why not graphile-worker, pg-boss or DBOS: the first two are PostgreSQL-only queues (a job is one handler
 * call; no per-step journal, no SQLite), DBOS Transact journals steps but needs PostgreSQL as its system
 * database. The lab's default is one SQLite file, so the journal is ours: two tables over either store.
 */
export class Engine<S = unknown> extends EventEmitter<EngineEvents> {
	readonly workerId: string;
	private readonly definitions = new Map<string, AnyJobDefinition<S>>();
	private readonly validators = new Map<string, ValidateFunction>();
	private readonly running = new Map<string, Running>();
	private readonly store: Store;
	private readonly concurrency: number;
	private readonly leaseMs: number;
	private readonly pollMs: number;
	/** pino-compatible; replaceable once the HTTP server (which owns the process logger) exists */
	logger: Logger;
	private loopDone: Promise<void> | undefined;
	private stopping = false;
	private wakeUp: (() => void) | undefined;
	private woken = false;
	private callbacksInFlight = 0;
	private readonly abortGraceMs: number;

	constructor(private readonly options: EngineOptions<S>) {
		super();
		this.store = options.store;
		this.workerId = options.workerId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
		this.concurrency = options.concurrency ?? 4;
		this.leaseMs = options.leaseMs ?? 30_000;
		this.pollMs = options.pollMs ?? 500;
		this.logger = options.logger ?? silent;
		this.abortGraceMs = options.abortGraceMs ?? 2000;
		const ajv = new Ajv({ allErrors: true, strict: false });
		for (const definition of options.jobs) {
			this.definitions.set(definition.type, definition);
			this.validators.set(definition.type, ajv.compile(definition.inputSchema));
		}
	}

	get types(): Array<AnyJobDefinition<S>> {
		return [...this.definitions.values()];
	}

	get runningCount(): number {
		return this.running.size;
	}

	/** validates the input against its type's schema, computes its resource locks and queues it */
	async submit(request: SubmitRequest): Promise<{ job: JobRow; created: boolean }> {
		const definition = this.definitions.get(request.type);
		if (!definition)
			throw new InputError(
				`unknown job type "${request.type}"; known: ${[...this.definitions.keys()].join(', ')}`,
			);
		const validate = this.validators.get(request.type)!;
		if (!validate(request.input)) {
			const errors = validate.errors ?? [];
			throw new InputError(
				`invalid input for ${request.type}: ${errors.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ')}`,
				errors,
			);
		}
		const result = await this.store.insertJob({
			id: randomUUID(),
			type: request.type,
			input: request.input,
			lockKeys: definition.locks?.(request.input) ?? [],
			idempotencyKey: request.idempotencyKey,
			callbackUrl: request.callbackUrl,
		});
		if (result.created) this.logger.info({ jobId: result.job.id, type: request.type }, 'job queued');
		this.wake();
		return result;
	}

	/** queued: cancelled at once; running here: aborted now; running elsewhere: its engine sees it on renew */
	async cancel(id: string): Promise<JobRow | undefined> {
		const job = await this.store.requestCancel(id);
		const local = this.running.get(id);
		if (local && job?.status === 'running') this.abort(local, 'cancel');
		if (job?.status === 'running' && local) await local.done;
		return (await this.store.getJob(id)) ?? job;
	}

	start(): void {
		if (this.loopDone) return;
		this.stopping = false;
		this.loopDone = this.loop();
	}

	/** stops claiming; running jobs are interrupted and handed back (resumed by the next engine at once) */
	async stop(): Promise<void> {
		this.stopping = true;
		this.wake();
		// the loop first (a claim in flight finishes and is handed back), so nothing is claimed after this
		await this.loopDone;
		this.loopDone = undefined;
		for (const entry of this.running.values()) this.abort(entry, 'shutdown');
		await Promise.all([...this.running.values()].map((entry) => entry.done));
		while (this.callbacksInFlight > 0) await sleep(20);
	}

	wake(): void {
		// remembered when the loop is not asleep yet (no lost wake-ups between "nothing to do" and sleeping)
		this.woken = true;
		this.wakeUp?.();
	}

	private abort(entry: Running, reason: AbortReason): void {
		if (entry.controller.signal.aborted) return;
		entry.reason = reason;
		entry.controller.abort(new Error(`job ${entry.claim.job.id}: ${reason}`));
	}

	private async loop(): Promise<void> {
		while (!this.stopping) {
			let busy = false;
			this.woken = false;
			try {
				if (this.running.size < this.concurrency) {
					const types = this.types
						.filter(
							(definition) => this.runningOfType(definition.type) < (definition.concurrency ?? Infinity),
						)
						.map((definition) => definition.type);
					const claim = await this.store.claim(this.workerId, this.leaseMs, types);
					if (claim && !this.stopping) {
						busy = true;
						this.launch(claim);
					} else if (claim) {
						await this.store.releaseJob(claim.job.id, claim.token);
					}
				}
				if (this.callbacksInFlight < 4 && !this.stopping) {
					const callback = await this.store.claimCallback(this.workerId, 60_000);
					if (callback) {
						busy = true;
						this.callbacksInFlight++;
						void this.deliverCallback(callback).finally(() => this.callbacksInFlight--);
					}
				}
			} catch (error) {
				this.logger.error({ err: messageOf(error) }, 'engine loop: store error, retrying');
			}
			if (!busy && !this.stopping && !this.woken) {
				await new Promise<void>((resolve) => {
					const timer = setTimeout(resolve, this.pollMs);
					this.wakeUp = () => {
						clearTimeout(timer);
						resolve();
					};
				});
				this.wakeUp = undefined;
			}
		}
	}

	private runningOfType(type: string): number {
		let n = 0;
		for (const entry of this.running.values()) if (entry.claim.job.type === type) n++;
		return n;
	}

	private launch(claim: Claim): void {
		const entry = { claim, controller: new AbortController() } as Running;
		this.running.set(claim.job.id, entry);
		entry.done = this.runJob(entry).finally(() => {
			this.running.delete(claim.job.id);
			this.wake();
		});
	}

	private async runJob(entry: Running): Promise<void> {
		const { job, token } = entry.claim;
		const heartbeat = setInterval(
			() => {
				this.store.renew(job.id, token, this.leaseMs).then(
					(renewed) => {
						if (!renewed.ok) this.abort(entry, 'lease-lost');
						else if (renewed.cancelRequested) this.abort(entry, 'cancel');
					},
					(error) => this.logger.warn({ jobId: job.id, err: messageOf(error) }, 'lease renewal failed'),
				);
			},
			Math.max(50, Math.floor(this.leaseMs / 3)),
		);
		const log = { jobId: job.id, type: job.type, worker: this.workerId };
		try {
			const definition = this.definitions.get(job.type);
			if (!definition) throw new PermanentError(`no job type ${job.type} in this engine`);
			if (job.cancelRequested) {
				entry.reason = 'cancel';
				throw new Error('cancelled');
			}
			const steps = definition.steps(job.input);
			const names = new Set(steps.map((step) => step.name));
			if (names.size !== steps.length) throw new PermanentError(`${job.type}: step names must be unique`);
			const journal = new Map((await this.store.steps(job.id)).map((row) => [row.idx, row]));
			const results: Record<string, Json> = {};
			let resumeAt = steps.length;
			for (const [idx, step] of steps.entries()) {
				const row = journal.get(idx);
				if (row && (row.status === 'succeeded' || row.status === 'skipped')) {
					if (row.name !== step.name)
						throw new PermanentError(`journal step ${idx} is ${row.name}, definition says ${step.name}`);
					results[step.name] = row.output as Json;
				} else if (resumeAt === steps.length) resumeAt = idx;
			}
			await this.store.addEvent(job.id, 'job-started', {
				worker: this.workerId,
				claim: job.claims,
				resumeAt,
				total: steps.length,
			});
			if (job.claims > 1) this.logger.info({ ...log, resumeAt }, 'job resumed');
			for (const [idx, step] of steps.entries()) {
				const row = journal.get(idx);
				if (row && (row.status === 'succeeded' || row.status === 'skipped')) continue;
				results[step.name] = await this.runStep(entry, definition, step, idx, steps.length, results);
			}
			const result = definition.result ? definition.result(results, job.input) : results;
			await this.store.finishJob(job.id, token, 'succeeded', result, null);
			this.emit('job', { type: job.type, status: 'succeeded' });
			this.logger.info(log, 'job succeeded');
		} catch (error) {
			const reason = entry.reason;
			try {
				if (reason === 'cancel') {
					await this.store.finishJob(job.id, token, 'cancelled', null, 'cancelled');
					this.emit('job', { type: job.type, status: 'cancelled' });
					this.logger.info(log, 'job cancelled');
				} else if (reason === 'shutdown') {
					await this.store.releaseJob(job.id, token);
					this.logger.info(log, 'job handed back at shutdown');
				} else if (reason === 'lease-lost' || error instanceof LeaseLostError) {
					this.logger.warn(log, 'job lease lost; another engine continues it');
				} else {
					await this.store.finishJob(job.id, token, 'failed', null, messageOf(error));
					this.emit('job', { type: job.type, status: 'failed' });
					this.logger.warn({ ...log, err: messageOf(error) }, 'job failed');
				}
			} catch (inner) {
				this.logger.warn({ ...log, err: messageOf(inner) }, 'could not record the job outcome');
			}
		} finally {
			clearInterval(heartbeat);
		}
	}

	private async runStep(
		entry: Running,
		definition: AnyJobDefinition<S>,
		step: StepDefinition<unknown, S>,
		idx: number,
		total: number,
		results: Record<string, Json>,
	): Promise<Json> {
		const { job, token } = entry.claim;
		const signal = entry.controller.signal;
		const policy: RetryPolicy = {
			...DEFAULT_RETRY,
			...this.options.defaultRetry,
			...definition.retry,
			...step.retry,
		};
		const timeoutMs = step.timeoutMs ?? definition.timeoutMs ?? this.options.defaultStepTimeoutMs ?? 600_000;
		for (;;) {
			if (signal.aborted) throw abortReason(signal);
			const row = await this.store.startStep(job.id, token, idx, step.name);
			const started = Date.now();
			const ctx: StepContext<unknown, S> = {
				jobId: job.id,
				input: job.input,
				results,
				key: `homelab-job:${job.id}:${step.name}`,
				attempt: row.attempts,
				signal,
				services: this.options.services,
				saved: (row.checkpoint ?? undefined) as Json | undefined,
				checkpoint: async (value) => {
					await this.store.checkpointStep(job.id, token, idx, value);
					ctx.saved = value;
				},
				progress: (message, data = {}) =>
					this.store.addEvent(job.id, 'progress', { step: step.name, index: idx, total, message, ...data }),
			};
			if (step.when && !step.when(ctx)) {
				await this.store.finishStep(job.id, token, idx, { status: 'skipped', output: null });
				await this.store.addEvent(job.id, 'step-skipped', { step: step.name, index: idx, total });
				this.emit('step', { type: job.type, step: step.name, outcome: 'skipped', ms: 0 });
				return null;
			}
			await this.store.addEvent(job.id, 'step-started', {
				step: step.name,
				index: idx,
				total,
				attempt: row.attempts,
			});
			try {
				let recovered = false;
				const output = await withTimeout(
					async (stepSignal) => {
						const stepCtx = { ...ctx, signal: stepSignal };
						if (step.check) {
							const found = await step.check(stepCtx);
							if (found !== undefined) {
								recovered = true;
								return found;
							}
						}
						return step.run(stepCtx);
					},
					// After a cut the step gets the grace to settle, so what it was writing (e.g. a checkpoint
					// with a task id) lands while the lease is still ours.
					{
						ms: timeoutMs,
						what: `step ${step.name}`,
						timeoutError: () => new StepTimeoutError(step.name, timeoutMs),
						signal,
						graceMs: this.abortGraceMs,
					},
				);
				await this.store.finishStep(job.id, token, idx, { status: 'succeeded', output });
				const ms = Date.now() - started;
				await this.store.addEvent(job.id, 'step-succeeded', {
					step: step.name,
					index: idx,
					total,
					ms,
					...(recovered ? { recovered: true } : {}),
				});
				this.emit('step', {
					type: job.type,
					step: step.name,
					outcome: recovered ? 'recovered' : 'succeeded',
					ms,
				});
				return output ?? null;
			} catch (error) {
				if (signal.aborted || error instanceof LeaseLostError) throw error;
				const failures = row.failures + 1;
				const message = messageOf(error);
				const ms = Date.now() - started;
				if (error instanceof PermanentError || failures >= policy.maxAttempts) {
					await this.store.finishStep(job.id, token, idx, { status: 'failed', error: message });
					await this.store.addEvent(job.id, 'step-failed', {
						step: step.name,
						index: idx,
						total,
						error: message,
					});
					this.emit('step', { type: job.type, step: step.name, outcome: 'failed', ms });
					throw new Error(`step ${step.name} failed after ${failures} attempt(s): ${message}`);
				}
				const delay = Math.min(
					policy.maxDelayMs,
					policy.initialDelayMs * 2 ** (failures - 1) * (0.75 + Math.random() * 0.5),
				);
				await this.store.finishStep(job.id, token, idx, { status: 'retry', error: message });
				await this.store.addEvent(job.id, 'step-retry', {
					step: step.name,
					index: idx,
					total,
					error: message,
					failures,
					delayMs: Math.round(delay),
				});
				this.emit('step', { type: job.type, step: step.name, outcome: 'retry', ms });
				this.logger.warn({ jobId: job.id, step: step.name, err: message, failures }, 'step failed, retrying');
				await sleep(delay, signal);
			}
		}
	}

	private async deliverCallback({ job, token }: Claim): Promise<void> {
		const attempt = job.callbackAttempts + 1;
		try {
			const response = await fetch(job.callbackUrl!, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'user-agent': 'homelab-backend' },
				body: JSON.stringify(callbackBody(job)),
				signal: AbortSignal.timeout(15_000),
			});
			await response.arrayBuffer().catch(() => undefined);
			if (!response.ok) throw new Error(`HTTP ${response.status}`);
			await this.store.finishCallback(job.id, token, { delivered: true });
			this.emit('callback', { delivered: true });
			this.logger.info({ jobId: job.id, attempt }, 'callback delivered');
		} catch (error) {
			const max = this.options.callbackMaxAttempts ?? 10;
			const first = this.options.callbackInitialDelayMs ?? 1000;
			const retryAt = attempt >= max ? null : Date.now() + Math.min(300_000, first * 2 ** (attempt - 1));
			await this.store
				.finishCallback(job.id, token, { delivered: false, retryAt, error: messageOf(error) })
				.catch(() => undefined);
			this.emit('callback', { delivered: false });
			this.logger.warn(
				{ jobId: job.id, attempt, err: messageOf(error), gaveUp: retryAt === null },
				'callback failed',
			);
		}
	}
}

/** What a callback carries (never the input: it may hold secrets). */
export function callbackBody(job: JobRow): Record<string, unknown> {
	return {
		jobId: job.id,
		type: job.type,
		status: job.status,
		result: job.result,
		error: job.error,
		finishedAt: job.finishedAt ? new Date(job.finishedAt).toISOString() : null,
	};
}
