#!/usr/bin/env node
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

import { loadConfig } from './config';
import { CallbackTargets } from './engine/callback-target';
import { Engine } from './engine/engine';
import type { AnyJobDefinition } from './engine/types';
import { createServer } from './http';
import { builtinJobs } from './jobs';
import { notesIndexJob, NotesStore } from './notes';
import { createServices } from './services';
import { openPostgresStore } from './store/postgres';
import { openSqliteStore } from './store/sqlite';

async function main(): Promise<void> {
	const config = loadConfig();
	const store = config.databaseUrl
		? openPostgresStore(config.databaseUrl)
		: openSqliteStore(config.databaseFile);
	const applied = await store.migrate();
	// one SQLite file has one engine: whatever a killed predecessor held is resumable at once
	const workerId = `${config.instanceId ?? os.hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
	const released =
		store.kind === 'sqlite'
			? await store.releaseAllLeases()
			: config.instanceId
				? await store.releaseLeasesOf(`${config.instanceId}/`)
				: 0;
	const jobs: AnyJobDefinition[] = [...builtinJobs];
	// notes are SQLite-first (FTS5); on PostgreSQL their routes answer 501
	const notes = store.kind === 'sqlite' ? new NotesStore(store.sql) : undefined;
	if (notes) jobs.push(notesIndexJob(notes) as AnyJobDefinition);
	if (config.extraJobsModule) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const extra = require(path.resolve(config.extraJobsModule)) as { jobs: AnyJobDefinition[] };
		jobs.push(...extra.jobs);
	}
	const engine = new Engine<unknown>({
		store,
		jobs,
		services: createServices(config.services),
		workerId,
		concurrency: config.concurrency,
		leaseMs: config.leaseMs,
		pollMs: config.pollMs,
		callbackTargets: new CallbackTargets(config.callbackAllow),
	});
	const app = createServer({ config, store, engine, notes });
	engine.logger = app.log;
	await app.listen({ port: config.port, host: config.host });
	engine.start();
	const address = app.server.address();
	const port = typeof address === 'object' && address ? address.port : config.port;
	app.log.info(
		{
			url: `http://${config.host}:${port}`,
			store: store.kind,
			db: store.kind === 'sqlite' ? config.databaseFile : 'postgres',
			applied,
			released,
		},
		'homelab-backend listening',
	);
	let stopping = false;
	const shutdown = () => {
		if (stopping) return;
		stopping = true;
		void (async () => {
			await engine.stop();
			await app.close();
			await store.close();
			process.exit(0);
		})();
	};
	process.once('SIGTERM', shutdown);
	process.once('SIGINT', shutdown);
}

main().catch((error: Error) => {
	console.error(`homelab-backend: ${error.message}`);
	process.exit(1);
});
