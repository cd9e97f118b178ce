// Two backend processes on one PostgreSQL share 200 jobs: claims use leases and FOR UPDATE SKIP LOCKED, so no
// step runs twice (the steps have no idempotency check here, so a second run would be counted).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { REPO_ROOT } from '../harness/runtime';
import { startPostgres, type PostgresService } from '../services/postgres';
import { BackendProcess } from './backend-process';
import { startCounter } from './counter';
import { sleep } from './helpers';

describe('two backend instances on one PostgreSQL', () => {
	let pg: PostgresService | undefined;
	before(async () => {
		pg = await startPostgres();
	});
	after(async () => {
		await pg?.stop();
	});

	it('share 200 jobs with no step run twice', async () => {
		const counter = await startCounter();
		const databaseUrl = pg!.createDatabase('shared');
		const instances = await Promise.all(
			['a', 'b'].map((name) =>
				BackendProcess.create({
					HOMELAB_BACKEND_DATABASE_URL: databaseUrl,
					HOMELAB_BACKEND_EXTRA_JOBS: path.join(REPO_ROOT, 'test/backend/fixtures/counter-jobs.ts'),
					HOMELAB_BACKEND_CONCURRENCY: '8',
					HOMELAB_BACKEND_POLL_MS: '10',
					HOMELAB_TEST_INSTANCE: name,
				}),
			),
		);
		try {
			// both migrate the same database at once (an advisory lock serializes them)
			await Promise.all(instances.map((instance) => instance.start()));
			// all submitted through one instance: the other must win claims on its own (SKIP LOCKED race)
			const [a] = instances;
			for (let i = 0; i < 200; i++)
				await a.api('POST', '/v1/jobs', {
					type: 'counter-test',
					input: { counterUrl: counter.url, steps: 3, maxDelayMs: 4, noCheck: true },
				});
			let jobs: Array<{ status: string; claims: number }> = [];
			const deadline = Date.now() + 120_000;
			do {
				await sleep(200);
				jobs = (await a.api<{ jobs: typeof jobs }>('GET', '/v1/jobs?limit=500')).jobs;
				assert.ok(Date.now() < deadline, 'jobs finish within 2 minutes');
			} while (!jobs.every((job) => job.status === 'succeeded'));
			assert.equal(jobs.length, 200);
			assert.equal(counter.counts.size, 600);
			assert.deepEqual(
				[...counter.counts].filter(([, count]) => count !== 1),
				[],
				'no step ran twice',
			);
			assert.ok(
				jobs.every((job) => job.claims === 1),
				'each job claimed once',
			);
			const shares = Object.fromEntries(counter.byInstance);
			assert.ok(
				(shares.a ?? 0) > 50 && (shares.b ?? 0) > 50,
				`both instances did work: ${JSON.stringify(shares)}`,
			);
			console.log(`# steps per instance: ${JSON.stringify(shares)}`);
		} finally {
			await Promise.all(instances.map((instance) => instance.kill('SIGTERM')));
			await counter.stop();
		}
	});
});
