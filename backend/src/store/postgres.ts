import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Pool, type PoolClient } from 'pg';

import { MIGRATIONS_DIR, migrationFiles } from './sqlite';
import { SqlStore, type Query, type SqlDriver } from './sql';

export const PG_MIGRATIONS_DIR = path.join(MIGRATIONS_DIR, 'postgres');
/** pg_advisory_lock key that serializes migrations of instances starting together */
const MIGRATION_LOCK = 4_810_010;

/** `?` placeholders (the SQL shared with SQLite) become PostgreSQL's `$1, $2, ...` */
function numbered(sql: string): string {
	let n = 0;
	return sql.replace(/\?/g, () => `$${++n}`);
}

class PostgresDriver implements SqlDriver {
	readonly dialect = 'postgres' as const;
	constructor(private readonly pool: Pool) {}

	private on(client: Pool | PoolClient): Query {
		return async (sql, params = []) =>
			(await client.query<Record<string, unknown>>(numbered(sql), params)).rows;
	}

	query: Query = (sql, params) => this.on(this.pool)(sql, params);

	async tx<T>(fn: (query: Query) => Promise<T>): Promise<T> {
		const client = await this.pool.connect();
		try {
			await client.query('BEGIN');
			const result = await fn(this.on(client));
			await client.query('COMMIT');
			return result;
		} catch (error) {
			await client.query('ROLLBACK').catch(() => undefined);
			throw error;
		} finally {
			client.release();
		}
	}

	async migrate(): Promise<string[]> {
		const client = await this.pool.connect();
		const applied: string[] = [];
		try {
			await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
			await client.query(
				'CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
			);
			const done = new Set(
				(await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map(
					(row) => row.name,
				),
			);
			for (const name of migrationFiles(PG_MIGRATIONS_DIR)) {
				if (done.has(name)) continue;
				await client.query('BEGIN');
				try {
					await client.query(readFileSync(path.join(PG_MIGRATIONS_DIR, name), 'utf8'));
					await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
					await client.query('COMMIT');
					applied.push(name);
				} catch (error) {
					await client.query('ROLLBACK');
					throw new Error(`migration ${name} failed: ${(error as Error).message}`);
				}
			}
		} finally {
			await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
			client.release();
		}
		return applied;
	}

	async close(): Promise<void> {
		await this.pool.end();
	}
}

/** The shared store: several backend instances on one PostgreSQL database. */
export function openPostgresStore(connectionString: string, options: { max?: number } = {}): SqlStore {
	const pool = new Pool({ connectionString, max: options.max ?? 10 });
	// an idle client losing its connection must not crash the process; the next query reconnects
	pool.on('error', () => undefined);
	return new SqlStore(new PostgresDriver(pool));
}
