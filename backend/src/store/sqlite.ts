import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';

import { SqlStore, type Query, type SqlDriver } from './sql';

/**
 * backend/migrations, found upward from this file: it runs from backend/src/store (tsx), from
 * backend/dist/backend/src/store (built: dist mirrors the repository because the shared clients/ are compiled in)
 * and from /app/dist/backend/src/store in the Docker image (migrations in /app/migrations).
 */
function findMigrations(from: string): string {
	for (let dir = from; ; dir = path.dirname(dir)) {
		const candidate = path.join(dir, 'migrations');
		if (existsSync(path.join(candidate, '001_initial.sql'))) return candidate;
		if (path.dirname(dir) === dir) throw new Error(`the backend's migrations/ folder is not above ${from}`);
	}
}

export const MIGRATIONS_DIR = findMigrations(__dirname);

/** numbered migration files (NNN_name.sql) of a directory, in order */
export function migrationFiles(dir: string): string[] {
	return readdirSync(dir)
		.filter((entry) => /^\d{3}_[\w-]+\.sql$/.test(entry))
		.sort();
}

/**
 * node:sqlite is synchronous; statements are serialized through one queue so that a transaction spanning
 * several awaited statements never interleaves with another task's statements on the same connection.
 */
class SqliteDriver implements SqlDriver {
	readonly dialect = 'sqlite' as const;
	private tail: Promise<void> = Promise.resolve();
	readonly db: DatabaseSync;

	constructor(file: string) {
		this.db = new DatabaseSync(file);
		this.db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;');
		// WAL + NORMAL: a commit survives a killed process (kill -9); only an OS crash may lose the last ones.
		this.db.exec('PRAGMA synchronous = NORMAL;');
	}

	private raw: Query = async (sql, params = []) => {
		const statement = this.db.prepare(sql);
		const values = params.map((value) =>
			value === undefined ? null : typeof value === 'boolean' ? Number(value) : value,
		) as SQLInputValue[];
		if (/^\s*(SELECT|WITH)\b/i.test(sql) || /\bRETURNING\b/i.test(sql))
			return statement.all(...values) as Array<Record<string, unknown>>;
		statement.run(...values);
		return [];
	};

	private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
		const previous = this.tail;
		let release!: () => void;
		this.tail = new Promise((resolve) => (release = resolve));
		await previous;
		try {
			return await fn();
		} finally {
			release();
		}
	}

	query: Query = (sql, params) => this.exclusive(() => this.raw(sql, params));

	tx<T>(fn: (query: Query) => Promise<T>): Promise<T> {
		return this.exclusive(async () => {
			this.db.exec('BEGIN IMMEDIATE');
			try {
				const result = await fn(this.raw);
				this.db.exec('COMMIT');
				return result;
			} catch (error) {
				this.db.exec('ROLLBACK');
				throw error;
			}
		});
	}

	async migrate(): Promise<string[]> {
		const db = this.db;
		db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
		const done = new Set(
			(db.prepare('SELECT name FROM schema_migrations').all() as Array<{ name: string }>).map(
				(row) => row.name,
			),
		);
		const applied: string[] = [];
		for (const name of migrationFiles(MIGRATIONS_DIR)) {
			if (done.has(name)) continue;
			db.exec('BEGIN IMMEDIATE');
			try {
				db.exec(readFileSync(path.join(MIGRATIONS_DIR, name), 'utf8'));
				db.prepare(
					"INSERT INTO schema_migrations (name, applied_at) VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))",
				).run(name);
				db.exec('COMMIT');
				applied.push(name);
			} catch (error) {
				db.exec('ROLLBACK');
				throw new Error(`migration ${name} failed: ${(error as Error).message}`);
			}
		}
		return applied;
	}

	async close(): Promise<void> {
		await this.exclusive(async () => this.db.close());
	}
}

/**
 * The store holds cloud-init passwords, stack env values and resume URLs: readable by the backend's user only.
 * A missing folder is created 0700; the file is created (or tightened) 0600 before SQLite opens it, and SQLite
 * gives its -wal and -shm files the database file's mode.
 */
function privateDatabaseFile(file: string): void {
	if (file === ':memory:' || file === '') return;
	const dir = path.dirname(file);
	if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
	closeSync(openSync(file, 'a', 0o600));
	for (const part of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(part)) chmodSync(part, 0o600);
}

/** The embedded default store: one SQLite file, one engine process. */
export function openSqliteStore(file: string, now?: () => number): SqlStore {
	privateDatabaseFile(file);
	return new SqlStore(new SqliteDriver(file), now);
}
