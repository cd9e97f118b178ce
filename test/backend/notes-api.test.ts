// The notes entrances over a live backend: POST /v1/notes/index (a durable job), GET /v1/notes/search, their
// 400s, and `homelab notes index|search` exit codes and output.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { FastifyInstance } from 'fastify';

import type { BackendConfig } from '../../backend/src/config';
import { Engine } from '../../backend/src/engine/engine';
import { createServer } from '../../backend/src/http';
import { builtinJobs } from '../../backend/src/jobs';
import { notesIndexJob, NotesStore } from '../../backend/src/notes';
import type { SqlStore } from '../../backend/src/store/sql';
import { openSqliteStore } from '../../backend/src/store/sqlite';
import { REPO_ROOT } from '../harness/runtime';
import { runCli, startApi } from './api-server';
import { settled } from './helpers';

describe('notes over HTTP and the CLI', () => {
	let dir: string;
	let vault: string;
	let store: SqlStore;
	let engine: Engine<unknown>;
	let app: FastifyInstance;
	const token = randomBytes(32).toString('hex');
	let url = '';
	const call = (method: string, route: string, body?: unknown) =>
		fetch(`${url}${route}`, {
			method,
			headers: {
				authorization: `Bearer ${token}`,
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
	const cli = (...args: string[]) => runCli({ url, token }, 'notes', ...args);

	before(async () => {
		dir = mkdtempSync(path.join(os.tmpdir(), 'homelab-notes-api-'));
		vault = path.join(dir, 'vault');
		cpSync(path.join(REPO_ROOT, 'test/fixtures/vault'), vault, { recursive: true });
		const config: BackendConfig = {
			host: '127.0.0.1',
			port: 0,
			token,
			databaseFile: path.join(dir, 'api.sqlite'),
			bodyLimitBytes: 64 * 1024,
			concurrency: 4,
			leaseMs: 5000,
			pollMs: 20,
			logLevel: 'warn',
			services: {},
		};
		store = openSqliteStore(config.databaseFile);
		await store.migrate();
		const notes = new NotesStore(store.sql);
		engine = new Engine<unknown>({
			store,
			jobs: [...builtinJobs, notesIndexJob(notes)] as never,
			services: {},
			pollMs: 20,
		});
		app = createServer({ config, store, engine, notes, ssePollMs: 20, logger: false });
		await app.listen({ port: 0, host: '127.0.0.1' });
		url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
		engine.start();
	});
	after(async () => {
		await engine.stop();
		await app.close();
		await store.close();
		rmSync(dir, { recursive: true, force: true });
	});

	it('POST /v1/notes/index runs a notes-index job with progress and the report as its result', async () => {
		const response = await call('POST', '/v1/notes/index', { vault });
		assert.equal(response.status, 202);
		const job = (await response.json()) as { id: string; type: string };
		assert.equal(job.type, 'notes-index');
		const done = await settled(store, job.id, 60_000);
		assert.equal(done.status, 'succeeded', done.error ?? '');
		const result = done.result as { notes: number; added: number; warnings: string[] };
		assert.equal(result.notes, 12);
		assert.equal(result.added, 12);
		const events = await store.events(job.id, 0);
		assert.ok(events.some((event) => event.kind === 'progress' && event.data.total === 12));
	});

	it('bad index requests are 400s that say what to fix', async () => {
		const cases: Array<[unknown, RegExp]> = [
			[{}, /vault/],
			[{ vault: '' }, /vault/],
			[{ vault: 'relative/vault' }, /absolute path/],
			[{ vault: path.join(dir, 'missing') }, /does not exist/],
			[{ vault: path.join(vault, 'Inbox.md') }, /is a file/],
			[{ vault, extra: 1 }, /additional/],
		];
		for (const [body, message] of cases) {
			const response = await call('POST', '/v1/notes/index', body);
			assert.equal(response.status, 400, JSON.stringify(body));
			assert.match(((await response.json()) as { error: string }).error, message, JSON.stringify(body));
		}
	});

	it('GET /v1/notes/search answers ranked hits with mode full-text', async () => {
		const response = await call('GET', `/v1/notes/search?q=${encodeURIComponent('restore a share')}&limit=3`);
		assert.equal(response.status, 200);
		const answer = (await response.json()) as {
			mode: string;
			hits: Array<{
				path: string;
				headingPath: string[];
				lines: { start: number; end: number };
				mode: string;
			}>;
		};
		assert.equal(answer.mode, 'full-text');
		assert.ok(answer.hits.length >= 1 && answer.hits.length <= 3);
		assert.equal(answer.hits[0].path, 'runbooks/Backup restore runbook.md');
		assert.deepEqual(answer.hits[0].headingPath, ['Backup restore runbook', 'Restore a share']);
		assert.deepEqual(answer.hits[0].lines, { start: 11, end: 21 });
		const scoped = await call(
			'GET',
			`/v1/notes/search?q=NAS&vault=${encodeURIComponent(path.join(dir, 'other'))}`,
		);
		assert.deepEqual(((await scoped.json()) as { hits: unknown[] }).hits, [], 'another vault has no hits');
	});

	it('bad searches are 400s', async () => {
		for (const query of ['', '?q=', '?q=%21%21%21', '?q=nas&limit=0', '?q=nas&limit=1000', '?q=nas&sort=x']) {
			const response = await call('GET', `/v1/notes/search${query}`);
			assert.equal(response.status, 400, query);
			assert.ok(((await response.json()) as { error: string }).error, query);
		}
	});

	it('homelab notes index prints what changed: nothing after the job above, then the one added note', async () => {
		const run = await cli('index', vault);
		assert.equal(run.code, 0, run.out);
		assert.match(
			run.out,
			/indexed .*vault: 12 notes \(0 added, 0 changed, 0 removed, 0 renamed, 12 unchanged, 0 skipped\)/,
		);
		writeFileSync(path.join(vault, 'cli-added.md'), '# Added\n\n---\nnot: frontmatter, a rule\n');
		const again = await cli('index', vault);
		assert.equal(again.code, 0, again.out);
		assert.match(
			again.out,
			/13 notes \(1 added, 0 changed, 0 removed, 0 renamed, 12 unchanged, 0 skipped\), 1 chunks written/,
		);
	});

	it('homelab notes search prints path#heading (lines a-b), snippet and score; --json the answer', async () => {
		const human = await cli('search', 'diskstation');
		assert.equal(human.code, 0, human.out);
		assert.match(
			human.out,
			/^1\. services\/Synology NAS\.md#Synology NAS.* \(lines \d+-\d+\) {2}score [\d.]+\n {3}\S/,
		);
		const json = await cli('search', 'Größe der Sicherung', '--json', '--limit', '2');
		assert.equal(json.code, 0, json.out);
		const answer = JSON.parse(json.out) as {
			mode: string;
			hits: Array<{ path: string; headingPath: string[] }>;
		};
		assert.equal(answer.mode, 'full-text');
		assert.ok(answer.hits.length <= 2);
		assert.equal(answer.hits[0].path, 'Datensicherung.md');
		assert.deepEqual(answer.hits[0].headingPath, ['Datensicherung', 'Größe der Sicherung']);
	});

	it('exit codes: 1 when nothing matches or the backend refuses, 2 for usage', async () => {
		const none = await cli('search', 'xylophonequartz');
		assert.equal(none.code, 1);
		assert.match(none.out, /no note matches "xylophonequartz"/);
		const missing = await cli('index', path.join(dir, 'missing'));
		assert.equal(missing.code, 1);
		assert.match(missing.out, /400 .*missing does not exist/);
		for (const args of [[], ['search'], ['index'], ['frobnicate']]) {
			const usage = await cli(...args);
			assert.equal(usage.code, 2, args.join(' '));
			assert.match(usage.out, /usage:\n {2}homelab notes index/);
		}
	});
});

describe('notes without a notes index (the PostgreSQL store)', () => {
	it('answers 501 saying notes need SQLite', async () => {
		const api = await startApi();
		try {
			for (const [method, route, body] of [
				['GET', '/v1/notes/search?q=nas', undefined],
				['POST', '/v1/notes/index', { vault: '/tmp' }],
			] as const) {
				const response = await api.call(method, route, body);
				assert.equal(response.status, 501);
				assert.match(((await response.json()) as { error: string }).error, /SQLite store/);
			}
		} finally {
			await api.close();
		}
	});
});
