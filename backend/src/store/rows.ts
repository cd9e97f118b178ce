import type { CallbackState, JobEvent, JobRow, JobStatus, StepRow, StepStatus } from './types';

/** Row mapping shared by both stores (PostgreSQL returns BIGINT as strings, SQLite as numbers). */
type Raw = Record<string, unknown>;

const num = (value: unknown): number => Number(value);
const numOrNull = (value: unknown): number | null =>
	value === null || value === undefined ? null : Number(value);
const str = (value: unknown): string | null =>
	value === null || value === undefined ? null : String(value as string);
const json = (value: unknown): unknown =>
	value === null || value === undefined ? null : (JSON.parse(String(value as string)) as unknown);

export function toJob(row: Raw): JobRow {
	return {
		id: String(row.id),
		type: String(row.type),
		input: json(row.input),
		status: row.status as JobStatus,
		result: json(row.result),
		error: str(row.error),
		lockKeys: json(row.lock_keys) as string[],
		idempotencyKey: str(row.idempotency_key),
		callbackUrl: str(row.callback_url),
		callbackState: str(row.callback_state) as CallbackState | null,
		callbackAttempts: num(row.callback_attempts),
		cancelRequested: num(row.cancel_requested) === 1,
		leaseOwner: str(row.lease_owner),
		claims: num(row.claims),
		createdAt: num(row.created_at),
		startedAt: numOrNull(row.started_at),
		finishedAt: numOrNull(row.finished_at),
		updatedAt: num(row.updated_at),
	};
}

export function toStep(row: Raw): StepRow {
	return {
		jobId: String(row.job_id),
		idx: num(row.idx),
		name: String(row.name),
		status: row.status as StepStatus,
		output: json(row.output),
		checkpoint: json(row.checkpoint),
		error: str(row.error),
		attempts: num(row.attempts),
		failures: num(row.failures),
		startedAt: numOrNull(row.started_at),
		finishedAt: numOrNull(row.finished_at),
	};
}

export function toEvent(row: Raw): JobEvent {
	return {
		id: num(row.id),
		jobId: String(row.job_id),
		at: num(row.at),
		kind: String(row.kind),
		data: json(row.data) as Record<string, unknown>,
	};
}

export const toJson = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));
