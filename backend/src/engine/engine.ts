import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import os from 'node:os';

import Ajv, { type ValidateFunction } from 'ajv';

import type { Claim, JobRow, Store } from '../store/types';
import { LeaseLostError } from '../store/types';
import { CallbackTargets } from './callback-target';
import { CallbackSender } from './callbacks';
import { silent, type EngineEvents, type EngineHost, type EngineOptions, type Logger } from './host';
import { StepRunner } from './step-runner';
import { jsonEqual, jsonShape } from '../json';
import { sleep } from '../../../shared/timing';
import { messageOf } from './timing';
import { PermanentError, type AnyJobDefinition, type Json } from './types';

export type { EngineEvents, EngineOptions, Logger } from './host';
export { callbackBody } from './callbacks';
export { messageOf } from './timing';

export interface SubmitRequest {
	type: string;
	input: unknown;
	callbackUrl?: string;
	idempotencyKey?: string;
}

/** The job's input (or submit request) is bad: the API answers 400 with the message. */
export class InputError extends Error {
	constructor(
		message: string,
		readonly details: unknown[] = [],
	) {
		super(message);
		this.name = 'InputError';
	}
}

/** An idempotency key already names a job of another type or input (the API answers 409). */
export class ConflictError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ConflictError';
	}
}

type AbortReason = 'cancel' | 'shutdown' | 'lease-lost';

interface Running {
	claim: Claim;
	controller: AbortController;
	reason?: AbortReason;
	done: Promise<void>;
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
export class Engine<S = unknown> extends EventEmitter<EngineEvents> implements EngineHost<S> {
	readonly workerId: string;
	private readonly definitions = new Map<string, AnyJobDefinition<S>>();
	private readonly validators = new Map<string, ValidateFunction>();
	private readonly running = new Map<string, Running>();
	readonly store: Store;
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
	readonly callbackTargets: CallbackTargets;
	private readonly stepRunner: StepRunner<S>;
	private readonly callbacks: CallbackSender<S>;

	constructor(readonly options: EngineOptions<S>) {
		super();
		this.store = options.store;
		this.workerId = options.workerId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
		this.concurrency = options.concurrency ?? 4;
		this.leaseMs = options.leaseMs ?? 30_000;
		this.pollMs = options.pollMs ?? 500;
		this.logger = options.logger ?? silent;
		this.callbackTargets = options.callbackTargets ?? new CallbackTargets();
		this.stepRunner = new StepRunner(this);
		this.callbacks = new CallbackSender(this);
		const ajv = new Ajv({ allErrors: true, strict: false });
		for (const definition of options.jobs) {
			this.definitions.set(definition.type, definition);
			this.validators.set(definition.type, ajv.compile(definition.inputSchema));
		}
	}

	get types(): Array<AnyJobDefinition<S>> {
		return [...this.definitions.values()];
	}

	/** the input schema of a job type this engine knows (redaction follows its writeOnly marks) */
	inputSchemaOf(type: string): Record<string, unknown> | undefined {
		return this.definitions.get(type)?.inputSchema;
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
		const limits = { depth: this.options.maxInputDepth ?? 32, nodes: this.options.maxInputNodes ?? 20_000 };
		const shape = jsonShape(request.input, limits);
		if (!shape.withinLimits)
			throw new InputError(
				shape.depth > limits.depth
					? `input nests more than ${limits.depth} levels deep; flatten it`
					: `input has more than ${limits.nodes} values; split the job`,
			);
		const validate = this.validators.get(request.type)!;
		if (!validate(request.input)) {
			const errors = validate.errors ?? [];
			throw new InputError(
				`invalid input for ${request.type}: ${errors.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ')}`,
				errors,
			);
		}
		try {
			definition.validate?.(request.input);
		} catch (error) {
			throw new InputError(
				`invalid input for ${request.type}: ${error instanceof Error ? error.message : String(error)}`,
			);
		}
		const refusal = definition.admit?.(request.input, this.options.services);
		if (refusal) throw new InputError(`invalid input for ${request.type}: ${refusal}`);
		if (request.callbackUrl)
			await this.callbackTargets.resolve(request.callbackUrl).catch((error: Error) => {
				throw new InputError(error.message);
			});
		const result = await this.store.insertJob({
			id: randomUUID(),
			type: request.type,
			input: request.input,
			lockKeys: definition.locks?.(request.input) ?? [],
			idempotencyKey: request.idempotencyKey,
			callbackUrl: request.callbackUrl,
		});
		if (result.created) this.logger.info({ jobId: result.job.id, type: request.type }, 'job queued');
		else if (result.job.type !== request.type || !jsonEqual(result.job.input, request.input))
			throw new ConflictError(
				`idempotency key already used by job ${result.job.id} (${result.job.type}) with another type or input; use a new key for a different job`,
			);
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
						void this.callbacks.deliver(callback).finally(() => this.callbacksInFlight--);
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
				results[step.name] = await this.stepRunner.run(
					entry.claim,
					entry.controller.signal,
					definition,
					step,
					idx,
					steps.length,
					results,
				);
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
}
