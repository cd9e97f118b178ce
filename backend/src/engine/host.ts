import type { Store } from '../store/types';
import type { CallbackTargets } from './callback-target';
import type { RetryPolicy, AnyJobDefinition } from './types';

export interface Logger {
	info(object: object, message: string): void;
	warn(object: object, message: string): void;
	error(object: object, message: string): void;
}

export const silent: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

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
	/** submit refuses inputs nested deeper than this (default 32) or with more values (default 20,000) */
	maxInputDepth?: number;
	maxInputNodes?: number;
	/** where callbacks may go (default: private ranges and loopback; link-local and metadata never) */
	callbackTargets?: CallbackTargets;
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

/** What the engine's parts (step runner, callback sender) share with it. */
export interface EngineHost<S> {
	readonly store: Store;
	readonly options: EngineOptions<S>;
	readonly logger: Logger;
	readonly callbackTargets: CallbackTargets;
	emit<K extends keyof EngineEvents>(event: K, ...args: EngineEvents[K]): boolean;
}
