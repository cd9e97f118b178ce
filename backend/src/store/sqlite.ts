import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';

export const MIGRATIONS_DIR = path.resolve(__dirname, '../../migrations');

/** Opens the embedded store and applies numbered migrations (NNN_name.sql) not yet applied, each in a transaction. */
export function openSqlite(file: string): { db: DatabaseSync; applied: string[] } {
	const db = new DatabaseSync(file);
	db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;');
	db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
	const done = new Set(
		(db.prepare('SELECT name FROM schema_migrations').all() as Array<{ name: string }>).map(
			(row) => row.name,
		),
	);
	const applied: string[] = [];
	for (const name of readdirSync(MIGRATIONS_DIR)
		.filter((entry) => /^\d{3}_[\w-]+\.sql$/.test(entry))
		.sort()) {
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
	return { db, applied };
}
