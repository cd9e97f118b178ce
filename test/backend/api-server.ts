// A live backend HTTP API on a random loopback port over a fresh SQLite store, with its log captured.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';

import type { FastifyInstance } from 'fastify';

import type { BackendConfig } from '../../backend/src/config';
import { Engine, type EngineOptions } from '../../backend/src/engine/engine';
import type { AnyJobDefinition } from '../../backend/src/engine/types';
import { createServer } from '../../backend/src/http';
import { builtinJobs } from '../../backend/src/jobs';
import { openSqliteStore } from '../../backend/src/store/sqlite';
import type { Store } from '../../backend/src/store/types';
import { REPO_ROOT } from '../harness/runtime';

export interface LiveApi {
	url: string;
	token: string;
	dir: string;
	config: BackendConfig;
	store: Store;
	engine: Engine<unknown>;
	app: FastifyInstance;
	/** everything the server logged so far */
	logs(): string;
	call(method: string, route: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
	close(): Promise<void>;
}

export async function startApi(
	options: {
		jobs?: AnyJobDefinition[];
		config?: Partial<BackendConfig>;
		engine?: Partial<EngineOptions<unknown>>;
		/** wraps the store the server sees (e.g. to make one method fail) */
		wrapStore?: (store: Store) => Store;
		services?: unknown;
	} = {},
): Promise<LiveApi> {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'homelab-api-'));
	const token = randomBytes(32).toString('hex');
	const config: BackendConfig = {
		host: '127.0.0.1',
		port: 0,
		token,
		databaseFile: path.join(dir, 'api.sqlite'),
		bodyLimitBytes: 64 * 1024,
		concurrency: 4,
		leaseMs: 5000,
		pollMs: 20,
		logLevel: 'info',
		services: {},
		...options.config,
	};
	const store = openSqliteStore(config.databaseFile);
	await store.migrate();
	const engine = new Engine<unknown>({
		store,
		jobs: [...builtinJobs, ...(options.jobs ?? [])] as never,
		services: options.services ?? {},
		pollMs: 20,
		...options.engine,
	});
	let logs = '';
	const stream = new Writable({
		write(chunk: Buffer, _encoding, callback) {
			logs += chunk.toString();
			callback();
		},
	});
	const app = createServer({
		config,
		store: options.wrapStore ? options.wrapStore(store) : store,
		engine,
		ssePollMs: 20,
		logger: { level: 'info', stream },
	});
	engine.logger = app.log;
	await app.listen({ port: 0, host: '127.0.0.1' });
	const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
	engine.start();
	return {
		url,
		token,
		dir,
		config,
		store,
		engine,
		app,
		logs: () => logs,
		call: (method, route, body, headers = {}) =>
			fetch(`${url}${route}`, {
				method,
				headers: {
					authorization: `Bearer ${token}`,
					...(body === undefined ? {} : { 'content-type': 'application/json' }),
					...headers,
				},
				body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
			}),
		close: async () => {
			await engine.stop();
			await app.close();
			await store.close();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** the `homelab` CLI against a live API */
export function runCli(api: { url: string; token: string }, ...args: string[]) {
	return new Promise<{ code: number | null; out: string }>((resolve) => {
		const child = spawn(
			process.execPath,
			['--import', 'tsx', path.join(REPO_ROOT, 'backend/src/cli.ts'), ...args],
			{
				env: { ...process.env, HOMELAB_BACKEND_URL: api.url, HOMELAB_BACKEND_TOKEN: api.token },
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		let out = '';
		child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
		child.on('exit', (code) => resolve({ code, out }));
	});
}

/** `depth` objects nested inside each other: {"a":{"a":...}} */
export function nested(depth: number): unknown {
	const root: Record<string, unknown> = {};
	let current = root;
	for (let level = 1; level < depth; level++) current = current.a = {} as Record<string, unknown>;
	return root;
}
