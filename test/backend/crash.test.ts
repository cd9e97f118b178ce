// kill -9 the backend (a child process) at random moments while 100 jobs run; each job's steps have side effects
// counted by a server in this test. Every job must complete, with every side effect exactly once.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { REPO_ROOT } from '../harness/runtime';
import { startPostgres, type PostgresService } from '../services/postgres';
import { BackendProcess } from './backend-process';
import { startCounter } from './counter';
import { sleep } from './helpers';

const JOBS = 100;
const STEPS = 4;
const KILLS = 8;

interface JobView {
	id: string;
	status: string;
	claims: number;
}

async function crashRun(env: Record<string, string>) {
	const counter = await startCounter();
	const backend = await BackendProcess.create({
		HOMELAB_BACKEND_EXTRA_JOBS: path.join(REPO_ROOT, 'test/backend/fixtures/counter-jobs.ts'),
		HOMELAB_BACKEND_CONCURRENCY: '10',
		HOMELAB_BACKEND_POLL_MS: '20',
		...env,
	});
	try {
		await backend.start();
		for (let i = 0; i < JOBS; i++)
			await backend.api('POST', '/v1/jobs', {
				type: 'counter-test',
				input: { counterUrl: counter.url, steps: STEPS, maxDelayMs: 40 },
			});
		const list = () => backend.api<{ jobs: JobView[] }>('GET', '/v1/jobs?limit=500').then((r) => r.jobs);
		let kills = 0;
		const restartMs: number[] = [];
		while (kills < KILLS) {
			await sleep(100 + Math.random() * 400);
			if ((await list()).every((job) => job.status === 'succeeded')) break;
			await backend.kill();
			kills++;
			restartMs.push(await backend.start());
		}
		const deadline = Date.now() + 60_000;
		let jobs = await list();
		while (!jobs.every((job) => ['succeeded', 'failed', 'cancelled'].includes(job.status))) {
			if (Date.now() > deadline)
				throw new Error(
					`jobs not done: ${JSON.stringify(jobs.filter((j) => j.status !== 'succeeded').slice(0, 3))}`,
				);
			await sleep(100);
			jobs = await list();
		}
		return { jobs, kills, counts: counter.counts, restartMs, output: backend.output };
	} finally {
		await backend.kill();
		await counter.stop();
	}
}

function assertExactlyOnce(run: Awaited<ReturnType<typeof crashRun>>) {
	assert.equal(run.jobs.length, JOBS);
	assert.deepEqual(
		run.jobs.filter((job) => job.status !== 'succeeded'),
		[],
		'every job completes',
	);
	assert.equal(run.counts.size, JOBS * STEPS, 'every step had its side effect');
	const duplicates = [...run.counts].filter(([, count]) => count !== 1);
	assert.deepEqual(duplicates, [], '0 duplicate side effects');
	assert.ok(run.kills >= 3, `killed ${run.kills} times mid-run`);
	assert.ok(
		run.jobs.some((job) => job.claims > 1),
		'some jobs were interrupted and resumed',
	);
}

describe('kill -9 at random moments across 100 jobs', () => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'homelab-crash-'));
	let pg: PostgresService | undefined;
	before(async () => {
		pg = await startPostgres();
	});
	after(async () => {
		await pg?.stop();
		rmSync(dir, { recursive: true, force: true });
	});

	it('SQLite: every job completes, 0 duplicate side effects', async () => {
		const run = await crashRun({ HOMELAB_BACKEND_DB: path.join(dir, 'crash.sqlite') });
		assertExactlyOnce(run);
		console.log(
			`# sqlite: ${run.kills} kills, ${run.jobs.filter((job) => job.claims > 1).length} jobs resumed, restart ${Math.max(...run.restartMs)} ms max`,
		);
	});

	it('PostgreSQL: every job completes, 0 duplicate side effects', async () => {
		const run = await crashRun({
			HOMELAB_BACKEND_DATABASE_URL: pg!.createDatabase('crash'),
			// a restarted instance takes its jobs back at once (a 60 s lease would otherwise stall every restart)
			HOMELAB_BACKEND_INSTANCE_ID: 'crash-test',
			HOMELAB_BACKEND_LEASE_MS: '60000',
		});
		assertExactlyOnce(run);
		console.log(
			`# postgres: ${run.kills} kills, ${run.jobs.filter((job) => job.claims > 1).length} jobs resumed`,
		);
	});
});
