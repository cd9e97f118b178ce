/**
 * A job is a typed, deterministic sequence of steps. The engine journals each step's output before starting the
 * next, so a restarted engine (even after kill -9) resumes a job at its first unfinished step.
 *
 * Steps that create something (a VM clone, a vzdump archive) must be safe to re-run after a crash between "did
 * it" and "journaled it": they get an idempotency `key` (stable per job and step) to tag what they create, and
 * a `check` that looks for a thing tagged with that key before `run` acts.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface StepContext<I, S = unknown> {
	jobId: string;
	input: I;
	/** outputs of the steps already done, by step name */
	results: Record<string, Json>;
	/** stable for this job + step across retries and restarts: tag what the step creates with it */
	key: string;
	/** this attempt (1-based, counting attempts cut short by a crash) */
	attempt: number;
	/** aborted on cancel, step timeout, shutdown or a lost lease */
	signal: AbortSignal;
	services: S;
	/** what an earlier attempt of this step saved with checkpoint() (e.g. the UPID of a task it started) */
	saved: Json | undefined;
	/** journals `value` for later attempts of this step (durable before it resolves) */
	checkpoint(value: Json): Promise<void>;
	/** a progress event on the job's SSE stream */
	progress(message: string, data?: Record<string, Json>): Promise<void>;
}

export interface RetryPolicy {
	/** attempts that may fail before the job fails (1 = no retry) */
	maxAttempts: number;
	/** first backoff; doubles each failure (with jitter) up to maxDelayMs */
	initialDelayMs: number;
	maxDelayMs: number;
}

export interface StepDefinition<I, S = unknown> {
	name: string;
	/** look for what an earlier attempt of this step created (by ctx.key); its output, or undefined */
	check?(ctx: StepContext<I, S>): Promise<Json | undefined>;
	run(ctx: StepContext<I, S>): Promise<Json>;
	/** skip the step (journaled as skipped) when false */
	when?(ctx: StepContext<I, S>): boolean;
	retry?: Partial<RetryPolicy>;
	timeoutMs?: number;
}

export interface JobDefinition<I = unknown, S = unknown> {
	type: string;
	description: string;
	/** JSON schema of the input (validated on submit; the API answers 400 otherwise) */
	inputSchema: Record<string, unknown>;
	/** a problem with the input only the configured services can see (an unknown host): submit answers 400 */
	admit?(input: I, services: S): string | undefined;
	/** checks the schema cannot express (formats of the service's own API); throws with a message saying what to fix */
	validate?(input: I): void;
	/** resource keys held from the job's first claim until it ends: one operation per VM */
	locks?(input: I): string[];
	/** the steps for this input; must return the same list every time for the same input */
	steps(input: I): Array<StepDefinition<I, S>>;
	/** the job's final result from the step outputs */
	result?(results: Record<string, Json>, input: I): Json;
	/** how many of this type one engine runs at once */
	concurrency?: number;
	retry?: Partial<RetryPolicy>;
	timeoutMs?: number;
}

/** A step error that retrying cannot fix (bad input, missing template): fails the job at once. */
export class PermanentError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'PermanentError';
	}
}

export class StepTimeoutError extends Error {
	constructor(step: string, ms: number) {
		super(`step ${step} timed out after ${ms} ms`);
		this.name = 'StepTimeoutError';
	}
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJobDefinition<S = unknown> = JobDefinition<any, S>;

export function defineJob<I, S>(definition: JobDefinition<I, S>): JobDefinition<I, S> {
	return definition;
}
