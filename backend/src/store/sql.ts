import { randomUUID } from 'node:crypto';

import { toEvent, toJob, toJson, toStep } from './rows';
import type { Claim, JobEvent, JobRow, JobStatus, ListFilter, NewJob, StepRow, Store } from './types';
import { LeaseLostError } from './types';

type Row = Record<string, unknown>;
/** runs one statement (`?` placeholders) and returns its rows (RETURNING rows for writes) */
export type Query = (sql: string, params?: unknown[]) => Promise<Row[]>;

/** The little a dialect must provide: statements, transactions, migrations. */
export interface SqlDriver {
	readonly dialect: 'sqlite' | 'postgres';
	query: Query;
	/** runs `fn` in one transaction (SQLite: BEGIN IMMEDIATE, everything else waits; PostgreSQL: one client) */
	tx<T>(fn: (query: Query) => Promise<T>): Promise<T>;
	migrate(): Promise<string[]>;
	close(): Promise<void>;
}

/**
 * The job store over either SQL dialect. Every write made on behalf of a running job carries the claim's
 * `lease_token`: an engine whose lease expired (and was re-claimed elsewhere) journals nothing.
 */
export class SqlStore implements Store {
	readonly kind: 'sqlite' | 'postgres';
	/** PostgreSQL: claim rows nobody else is claiming right now; SQLite has one writer anyway */
	private readonly skipLocked: string;

	constructor(
		private readonly driver: SqlDriver,
		private readonly now: () => number = Date.now,
	) {
		this.kind = driver.dialect;
		this.skipLocked = driver.dialect === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
	}

	migrate(): Promise<string[]> {
		return this.driver.migrate();
	}

	/** statements and transactions for feature modules with tables of their own (notes/) */
	get sql(): Pick<SqlDriver, 'dialect' | 'query' | 'tx'> {
		return this.driver;
	}

	async releaseAllLeases(): Promise<number> {
		const rows = await this.driver.query(
			'UPDATE jobs SET lease_owner = NULL, lease_token = NULL, lease_until = NULL WHERE lease_until IS NOT NULL RETURNING id',
		);
		return rows.length;
	}

	async releaseLeasesOf(prefix: string): Promise<number> {
		const rows = await this.driver.query(
			`UPDATE jobs SET lease_owner = NULL, lease_token = NULL, lease_until = NULL
			 WHERE lease_owner IS NOT NULL AND substr(lease_owner, 1, ?) = ? RETURNING id`,
			[prefix.length, prefix],
		);
		return rows.length;
	}

	async insertJob(job: NewJob): Promise<{ job: JobRow; created: boolean }> {
		const now = this.now();
		const rows = await this.driver.query(
			`INSERT INTO jobs (id, type, input, status, lock_keys, idempotency_key, callback_url, created_at, updated_at)
			 VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING RETURNING *`,
			[
				job.id,
				job.type,
				JSON.stringify(job.input ?? {}),
				JSON.stringify([...new Set(job.lockKeys)].sort()),
				job.idempotencyKey ?? null,
				job.callbackUrl ?? null,
				now,
				now,
			],
		);
		if (rows.length) {
			await this.addEvent(job.id, 'job-queued', { type: job.type });
			return { job: toJob(rows[0]), created: true };
		}
		const existing = await this.driver.query('SELECT * FROM jobs WHERE idempotency_key = ?', [
			job.idempotencyKey,
		]);
		return { job: toJob(existing[0]), created: false };
	}

	async getJob(id: string): Promise<JobRow | undefined> {
		const rows = await this.driver.query('SELECT * FROM jobs WHERE id = ?', [id]);
		return rows.length ? toJob(rows[0]) : undefined;
	}

	async listJobs(filter: ListFilter): Promise<JobRow[]> {
		const where: string[] = [];
		const params: unknown[] = [];
		const add = (clause: string, value: unknown) => {
			where.push(clause);
			params.push(value);
		};
		if (filter.status) add('status = ?', filter.status);
		if (filter.type) add('type = ?', filter.type);
		if (filter.before !== undefined) add('created_at < ?', filter.before);
		params.push(filter.limit);
		const rows = await this.driver.query(
			`SELECT * FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
			 ORDER BY created_at DESC, id DESC LIMIT ?`,
			params,
		);
		return rows.map(toJob);
	}

	async steps(jobId: string): Promise<StepRow[]> {
		const rows = await this.driver.query('SELECT * FROM job_steps WHERE job_id = ? ORDER BY idx', [jobId]);
		return rows.map(toStep);
	}

	async claim(workerId: string, leaseMs: number, types: string[]): Promise<Claim | undefined> {
		if (!types.length) return undefined;
		return this.driver.tx(async (query) => {
			const now = this.now();
			const candidates = await query(
				`SELECT * FROM jobs
				 WHERE type IN (${types.map(() => '?').join(', ')})
				   AND (status = 'queued' OR (status = 'running' AND (lease_until IS NULL OR lease_until < ?)))
				 ORDER BY created_at, id LIMIT 20 ${this.skipLocked}`,
				[...types, now],
			);
			for (const candidate of candidates.map(toJob)) {
				if (!(await this.takeLocks(query, candidate, now))) continue;
				const token = randomUUID();
				const rows = await query(
					`UPDATE jobs SET status = 'running', lease_owner = ?, lease_token = ?, lease_until = ?,
					   claims = claims + 1, started_at = COALESCE(started_at, ?), updated_at = ?
					 WHERE id = ? RETURNING *`,
					[workerId, token, now + leaseMs, now, now, candidate.id],
				);
				return { job: toJob(rows[0]), token };
			}
			return undefined;
		});
	}

	/** all of a job's resource locks or none (sorted keys; a partial set is given back at once) */
	private async takeLocks(query: Query, job: JobRow, now: number): Promise<boolean> {
		for (const key of job.lockKeys) {
			await query(
				'INSERT INTO resource_locks (key, job_id, acquired_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING',
				[key, job.id, now],
			);
			const holder = await query('SELECT job_id FROM resource_locks WHERE key = ?', [key]);
			if (holder[0]?.job_id !== job.id) {
				await query('DELETE FROM resource_locks WHERE job_id = ?', [job.id]);
				return false;
			}
		}
		return true;
	}

	async renew(jobId: string, token: string, leaseMs: number) {
		const now = this.now();
		const rows = await this.driver.query(
			`UPDATE jobs SET lease_until = ? WHERE id = ? AND lease_token = ? AND status = 'running'
			 RETURNING cancel_requested`,
			[now + leaseMs, jobId, token],
		);
		return { ok: rows.length === 1, cancelRequested: Number(rows[0]?.cancel_requested ?? 0) === 1 };
	}

	/** runs `fn` in a transaction after checking the lease; throws LeaseLostError when it is not ours */
	private fenced<T>(jobId: string, token: string, fn: (query: Query, now: number) => Promise<T>): Promise<T> {
		return this.driver.tx(async (query) => {
			const owned = await query(
				`SELECT id FROM jobs WHERE id = ? AND lease_token = ? AND status = 'running' ${this.skipLocked ? 'FOR UPDATE' : ''}`,
				[jobId, token],
			);
			if (!owned.length) throw new LeaseLostError(jobId);
			return fn(query, this.now());
		});
	}

	startStep(jobId: string, token: string, idx: number, name: string): Promise<StepRow> {
		return this.fenced(jobId, token, async (query, now) => {
			const rows = await query(
				`INSERT INTO job_steps (job_id, idx, name, status, attempts, started_at) VALUES (?, ?, ?, 'running', 1, ?)
				 ON CONFLICT (job_id, idx) DO UPDATE SET attempts = job_steps.attempts + 1, status = 'running',
				   started_at = excluded.started_at
				 RETURNING *`,
				[jobId, idx, name, now],
			);
			await query('UPDATE jobs SET updated_at = ? WHERE id = ?', [now, jobId]);
			return toStep(rows[0]);
		});
	}

	async checkpointStep(jobId: string, token: string, idx: number, checkpoint: unknown): Promise<void> {
		await this.fenced(jobId, token, async (query) => {
			await query('UPDATE job_steps SET checkpoint = ? WHERE job_id = ? AND idx = ?', [
				toJson(checkpoint ?? null),
				jobId,
				idx,
			]);
		});
	}

	async finishStep(
		jobId: string,
		token: string,
		idx: number,
		outcome:
			| { status: 'succeeded' | 'skipped'; output: unknown }
			| { status: 'failed' | 'retry'; error: string },
	): Promise<void> {
		await this.fenced(jobId, token, async (query, now) => {
			if ('output' in outcome) {
				await query(
					`UPDATE job_steps SET status = ?, output = ?, error = NULL, finished_at = ? WHERE job_id = ? AND idx = ?`,
					[outcome.status, toJson(outcome.output ?? null), now, jobId, idx],
				);
			} else {
				await query(
					`UPDATE job_steps SET status = ?, error = ?, failures = failures + 1, finished_at = ?
					 WHERE job_id = ? AND idx = ?`,
					[outcome.status === 'failed' ? 'failed' : 'running', outcome.error, now, jobId, idx],
				);
			}
			await query('UPDATE jobs SET updated_at = ? WHERE id = ?', [now, jobId]);
		});
	}

	async finishJob(
		jobId: string,
		token: string,
		status: 'succeeded' | 'failed' | 'cancelled',
		result: unknown,
		error: string | null,
	): Promise<void> {
		await this.fenced(jobId, token, async (query, now) => {
			await query(
				`UPDATE jobs SET status = ?, result = ?, error = ?, finished_at = ?, updated_at = ?,
				   lease_owner = NULL, lease_token = NULL, lease_until = NULL,
				   callback_state = CASE WHEN callback_url IS NULL THEN NULL ELSE 'pending' END, callback_next_at = ?
				 WHERE id = ?`,
				[status, toJson(result ?? null), error, now, now, now, jobId],
			);
			await query('DELETE FROM resource_locks WHERE job_id = ?', [jobId]);
			await this.eventIn(query, jobId, `job-${status}`, { result: result ?? null, error }, now);
		});
	}

	async releaseJob(jobId: string, token: string): Promise<void> {
		await this.driver.query(
			`UPDATE jobs SET lease_owner = NULL, lease_token = NULL, lease_until = NULL WHERE id = ? AND lease_token = ?`,
			[jobId, token],
		);
	}

	async requestCancel(id: string): Promise<JobRow | undefined> {
		return this.driver.tx(async (query) => {
			const now = this.now();
			const rows = await query(`SELECT * FROM jobs WHERE id = ? ${this.skipLocked ? 'FOR UPDATE' : ''}`, [
				id,
			]);
			if (!rows.length) return undefined;
			const job = toJob(rows[0]);
			if (job.status === 'queued') {
				await query(
					`UPDATE jobs SET status = 'cancelled', cancel_requested = 1, error = 'cancelled before it started',
					   finished_at = ?, updated_at = ?,
					   callback_state = CASE WHEN callback_url IS NULL THEN NULL ELSE 'pending' END, callback_next_at = ?
					 WHERE id = ?`,
					[now, now, now, id],
				);
				await query('DELETE FROM resource_locks WHERE job_id = ?', [id]);
				await this.eventIn(query, id, 'job-cancelled', { error: 'cancelled before it started' }, now);
			} else if (job.status === 'running') {
				await query('UPDATE jobs SET cancel_requested = 1, updated_at = ? WHERE id = ?', [now, id]);
				await this.eventIn(query, id, 'cancel-requested', {}, now);
			}
			return toJob((await query('SELECT * FROM jobs WHERE id = ?', [id]))[0]);
		});
	}

	private async eventIn(
		query: Query,
		jobId: string,
		kind: string,
		data: Record<string, unknown>,
		now: number,
	) {
		await query('INSERT INTO job_events (job_id, at, kind, data) VALUES (?, ?, ?, ?)', [
			jobId,
			now,
			kind,
			JSON.stringify(data),
		]);
	}

	async addEvent(jobId: string, kind: string, data: Record<string, unknown>): Promise<void> {
		await this.eventIn(this.driver.query, jobId, kind, data, this.now());
	}

	async events(jobId: string, afterId: number): Promise<JobEvent[]> {
		const rows = await this.driver.query(
			'SELECT * FROM job_events WHERE job_id = ? AND id > ? ORDER BY id LIMIT 1000',
			[jobId, afterId],
		);
		return rows.map(toEvent);
	}

	async claimCallback(workerId: string, leaseMs: number): Promise<Claim | undefined> {
		return this.driver.tx(async (query) => {
			const now = this.now();
			const rows = await query(
				`SELECT id FROM jobs WHERE callback_state = 'pending' AND callback_next_at <= ?
				   AND (lease_until IS NULL OR lease_until < ?)
				 ORDER BY callback_next_at LIMIT 1 ${this.skipLocked}`,
				[now, now],
			);
			if (!rows.length) return undefined;
			const token = randomUUID();
			const claimed = await query(
				'UPDATE jobs SET lease_owner = ?, lease_token = ?, lease_until = ? WHERE id = ? RETURNING *',
				[workerId, token, now + leaseMs, rows[0].id],
			);
			return { job: toJob(claimed[0]), token };
		});
	}

	async finishCallback(
		jobId: string,
		token: string,
		outcome: { delivered: true } | { delivered: false; retryAt: number | null; error: string },
	): Promise<void> {
		const state = outcome.delivered ? 'delivered' : outcome.retryAt === null ? 'failed' : 'pending';
		await this.driver.query(
			`UPDATE jobs SET callback_state = ?, callback_attempts = callback_attempts + 1, callback_next_at = ?,
			   callback_error = ?, lease_owner = NULL, lease_token = NULL, lease_until = NULL
			 WHERE id = ? AND lease_token = ?`,
			[
				state,
				outcome.delivered ? null : outcome.retryAt,
				outcome.delivered ? null : outcome.error,
				jobId,
				token,
			],
		);
	}

	async countByStatus(): Promise<Record<JobStatus, number>> {
		const counts: Record<JobStatus, number> = {
			queued: 0,
			running: 0,
			succeeded: 0,
			failed: 0,
			cancelled: 0,
		};
		for (const row of await this.driver.query('SELECT status, count(*) AS n FROM jobs GROUP BY status'))
			counts[row.status as JobStatus] = Number(row.n);
		return counts;
	}

	async info(): Promise<Record<string, string>> {
		const rows = await this.driver.query('SELECT key, value FROM instance_info');
		const migrations = await this.driver.query('SELECT count(*) AS n FROM schema_migrations');
		return {
			...Object.fromEntries(rows.map((row) => [String(row.key), String(row.value)])),
			migrations: String(migrations[0].n),
		};
	}

	close(): Promise<void> {
		return this.driver.close();
	}
}
