import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';

import { openPostgresStore } from '../../backend/src/store/postgres';
import { openSqliteStore } from '../../backend/src/store/sqlite';
import type { Store } from '../../backend/src/store/types';
import { startPostgres, type PostgresService } from '../services/postgres';

export interface StoreKind {
	name: 'sqlite' | 'postgres';
	/** a fresh, migrated store (its own SQLite file or PostgreSQL database) */
	open(): Promise<Store>;
	/** another connection to the same database as the last open() (a second instance) */
	reopen(): Promise<Store>;
}

/**
 * Both stores for a test file: SQLite files in a temp dir and a real PostgreSQL 15 started for the file.
 * Every store opened is closed after the file.
 */
export function bothStores(): StoreKind[] {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'homelab-backend-test-'));
	let pg: PostgresService | undefined;
	const opened: Store[] = [];
	let n = 0;
	let lastSqlite = '';
	let lastPg = '';
	before(async () => {
		pg = await startPostgres();
	});
	after(async () => {
		for (const store of opened) await store.close().catch(() => undefined);
		await pg?.stop();
		rmSync(dir, { recursive: true, force: true });
	});
	const track = async (store: Store) => {
		opened.push(store);
		await store.migrate();
		return store;
	};
	return [
		{
			name: 'sqlite',
			open: async () => track(openSqliteStore((lastSqlite = path.join(dir, `t${++n}.sqlite`)))),
			reopen: async () => track(openSqliteStore(lastSqlite)),
		},
		{
			name: 'postgres',
			open: async () => track(openPostgresStore((lastPg = pg!.createDatabase(`t${++n}`)))),
			reopen: async () => track(openPostgresStore(lastPg)),
		},
	];
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function until<T>(
	what: string,
	probe: () => Promise<T | undefined>,
	timeoutMs = 20_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(20);
	}
}

/** waits until a job reaches a terminal status */
export function settled(store: Store, id: string, timeoutMs = 20_000) {
	return until(
		`job ${id} to end`,
		async () => {
			const job = await store.getJob(id);
			return job && ['succeeded', 'failed', 'cancelled'].includes(job.status) ? job : undefined;
		},
		timeoutMs,
	);
}
