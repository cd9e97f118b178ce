/** What the engine needs from durable storage; SQLite (default) and PostgreSQL implement it identically. */

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type StepStatus = 'running' | 'succeeded' | 'skipped' | 'failed';
export type CallbackState = 'pending' | 'delivered' | 'failed';
export const TERMINAL: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];

export interface JobRow {
	id: string;
	type: string;
	input: unknown;
	status: JobStatus;
	result: unknown;
	error: string | null;
	lockKeys: string[];
	idempotencyKey: string | null;
	callbackUrl: string | null;
	callbackState: CallbackState | null;
	callbackAttempts: number;
	cancelRequested: boolean;
	leaseOwner: string | null;
	/** how many times an engine claimed it (1 normally; more after crashes or handovers) */
	claims: number;
	createdAt: number;
	startedAt: number | null;
	finishedAt: number | null;
	updatedAt: number;
}

export interface StepRow {
	jobId: string;
	idx: number;
	name: string;
	status: StepStatus;
	output: unknown;
	/** saved by the step mid-way (StepContext.checkpoint) for a later attempt */
	checkpoint: unknown;
	error: string | null;
	/** times the step was started (a crash mid-step counts) */
	attempts: number;
	/** times it threw (what the retry maximum counts) */
	failures: number;
	startedAt: number | null;
	finishedAt: number | null;
}

export interface JobEvent {
	id: number;
	jobId: string;
	at: number;
	kind: string;
	data: Record<string, unknown>;
}

export interface NewJob {
	id: string;
	type: string;
	input: unknown;
	lockKeys: string[];
	idempotencyKey?: string;
	callbackUrl?: string;
}

/** A claimed job: `token` fences every write, so an engine that lost its lease cannot journal anything. */
export interface Claim {
	job: JobRow;
	token: string;
}

export interface ListFilter {
	status?: JobStatus;
	type?: string;
	limit: number;
	/** createdAt cursor: jobs created strictly before it */
	before?: number;
}

export class LeaseLostError extends Error {
	constructor(jobId: string) {
		super(`job ${jobId}: lease lost (another engine owns it now, or it was finished elsewhere)`);
		this.name = 'LeaseLostError';
	}
}

export interface Store {
	readonly kind: 'sqlite' | 'postgres';
	/** applies numbered migrations not yet applied; returns their names */
	migrate(): Promise<string[]>;
	/** a SQLite file has exactly one engine: leases left by a killed process are released at start */
	releaseAllLeases(): Promise<number>;
	/**
	 * releases the leases held by earlier processes of one instance (owner ids starting with `prefix`): a
	 * restarted PostgreSQL instance with a stable HOMELAB_BACKEND_INSTANCE_ID resumes its jobs at once
	 */
	releaseLeasesOf(prefix: string): Promise<number>;
	insertJob(job: NewJob): Promise<{ job: JobRow; created: boolean }>;
	getJob(id: string): Promise<JobRow | undefined>;
	listJobs(filter: ListFilter): Promise<JobRow[]>;
	steps(jobId: string): Promise<StepRow[]>;
	/**
	 * Claims the oldest runnable job of one of `types` (queued, or running with an expired lease) whose resource
	 * locks it can take (locks stay with a job until it ends), leasing it for `leaseMs`.
	 */
	claim(workerId: string, leaseMs: number, types: string[]): Promise<Claim | undefined>;
	/** extends the lease; false when it was lost. Also reports a cancel requested through another instance. */
	renew(jobId: string, token: string, leaseMs: number): Promise<{ ok: boolean; cancelRequested: boolean }>;
	/** journals that step `idx` starts (attempts + 1); returns the row */
	startStep(jobId: string, token: string, idx: number, name: string): Promise<StepRow>;
	/** saves a running step's checkpoint (e.g. the UPID of a task it started) */
	checkpointStep(jobId: string, token: string, idx: number, checkpoint: unknown): Promise<void>;
	/** journals a step's outcome; a failed attempt that will be retried keeps status 'running' */
	finishStep(
		jobId: string,
		token: string,
		idx: number,
		outcome:
			| { status: 'succeeded' | 'skipped'; output: unknown }
			| { status: 'failed' | 'retry'; error: string },
	): Promise<void>;
	/** ends the job, releases its resource locks, queues its callback */
	finishJob(
		jobId: string,
		token: string,
		status: 'succeeded' | 'failed' | 'cancelled',
		result: unknown,
		error: string | null,
	): Promise<void>;
	/** gives a claimed job back (graceful shutdown): runnable again at once, by anyone */
	releaseJob(jobId: string, token: string): Promise<void>;
	/** a queued job is cancelled at once; a running one gets cancel_requested for its engine to act on */
	requestCancel(id: string): Promise<JobRow | undefined>;
	addEvent(jobId: string, kind: string, data: Record<string, unknown>): Promise<void>;
	events(jobId: string, afterId: number): Promise<JobEvent[]>;
	/** leases one finished job whose callback is due */
	claimCallback(workerId: string, leaseMs: number): Promise<Claim | undefined>;
	finishCallback(
		jobId: string,
		token: string,
		outcome: { delivered: true } | { delivered: false; retryAt: number | null; error: string },
	): Promise<void>;
	countByStatus(): Promise<Record<JobStatus, number>>;
	info(): Promise<Record<string, string>>;
	close(): Promise<void>;
}
