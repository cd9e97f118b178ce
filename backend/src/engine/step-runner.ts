import { LeaseLostError, type Claim } from '../store/types';
import { abortReason, sleep, withTimeout } from '../../../shared/timing';
import { messageOf } from './timing';
import {
	PermanentError,
	StepTimeoutError,
	type AnyJobDefinition,
	type Json,
	type RetryPolicy,
	type StepContext,
	type StepDefinition,
} from './types';
import type { EngineHost } from './host';

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, initialDelayMs: 1000, maxDelayMs: 60_000 };

/**
 * Runs one step of a claimed job: journals its start, runs check/run under its timeout, journals the outcome,
 * retries with exponential backoff and jitter until its policy gives up. Every write is fenced by the claim.
 */
export class StepRunner<S> {
	constructor(private readonly host: EngineHost<S>) {}

	async run(
		claim: Claim,
		signal: AbortSignal,
		definition: AnyJobDefinition<S>,
		step: StepDefinition<unknown, S>,
		idx: number,
		total: number,
		results: Record<string, Json>,
	): Promise<Json> {
		const { job, token } = claim;
		const { store, options } = this.host;
		const policy: RetryPolicy = {
			...DEFAULT_RETRY,
			...options.defaultRetry,
			...definition.retry,
			...step.retry,
		};
		const timeoutMs = step.timeoutMs ?? definition.timeoutMs ?? options.defaultStepTimeoutMs ?? 600_000;
		for (;;) {
			if (signal.aborted) throw abortReason(signal);
			const row = await store.startStep(job.id, token, idx, step.name);
			const started = Date.now();
			const ctx: StepContext<unknown, S> = {
				jobId: job.id,
				input: job.input,
				results,
				key: `homelab-job:${job.id}:${step.name}`,
				attempt: row.attempts,
				signal,
				services: options.services,
				saved: (row.checkpoint ?? undefined) as Json | undefined,
				checkpoint: async (value) => {
					await store.checkpointStep(job.id, token, idx, value);
					ctx.saved = value;
				},
				progress: (message, data = {}) =>
					store.addEvent(job.id, 'progress', { step: step.name, index: idx, total, message, ...data }),
			};
			if (step.when && !step.when(ctx)) {
				await store.finishStep(job.id, token, idx, { status: 'skipped', output: null });
				await store.addEvent(job.id, 'step-skipped', { step: step.name, index: idx, total });
				this.host.emit('step', { type: job.type, step: step.name, outcome: 'skipped', ms: 0 });
				return null;
			}
			await store.addEvent(job.id, 'step-started', {
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
					{
						ms: timeoutMs,
						what: `step ${step.name}`,
						timeoutError: () => new StepTimeoutError(step.name, timeoutMs),
						signal,
						// after a cut the step may still land what it was writing (e.g. a checkpoint with a task id)
						// while the lease is ours; a step that ignores its signal cannot hold cancel/shutdown longer
						graceMs: options.abortGraceMs ?? 2000,
					},
				);
				await store.finishStep(job.id, token, idx, { status: 'succeeded', output });
				const ms = Date.now() - started;
				await store.addEvent(job.id, 'step-succeeded', {
					step: step.name,
					index: idx,
					total,
					ms,
					...(recovered ? { recovered: true } : {}),
				});
				this.host.emit('step', {
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
					await store.finishStep(job.id, token, idx, { status: 'failed', error: message });
					await store.addEvent(job.id, 'step-failed', {
						step: step.name,
						index: idx,
						total,
						error: message,
					});
					this.host.emit('step', { type: job.type, step: step.name, outcome: 'failed', ms });
					throw new Error(`step ${step.name} failed after ${failures} attempt(s): ${message}`);
				}
				const delay = Math.min(
					policy.maxDelayMs,
					policy.initialDelayMs * 2 ** (failures - 1) * (0.75 + Math.random() * 0.5),
				);
				await store.finishStep(job.id, token, idx, { status: 'retry', error: message });
				await store.addEvent(job.id, 'step-retry', {
					step: step.name,
					index: idx,
					total,
					error: message,
					failures,
					delayMs: Math.round(delay),
				});
				this.host.emit('step', { type: job.type, step: step.name, outcome: 'retry', ms });
				this.host.logger.warn(
					{ jobId: job.id, step: step.name, err: message, failures },
					'step failed, retrying',
				);
				await sleep(delay, signal);
			}
		}
	}
}
