// Bench: the backend's durable journal. For SQLite (the default) and PostgreSQL: durable steps/s (each step
// journaled start + outcome before the next), the time from kill -9 to the next step of an interrupted job,
// and idle RSS. Prints the SQLite/PostgreSQL ratio.
//   bash scripts/bench.sh bench/backend-steps.ts
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startPostgres } from '../test/services/postgres';
import { BackendProcess, TOKEN } from '../test/backend/backend-process';

const JOBS = Number(process.env.BENCH_JOBS ?? 200);
const STEPS = Number(process.env.BENCH_STEPS ?? 10);

interface Job {
	id: string;
	status: string;
	steps?: Array<{ status: string }>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function measure(name: string, env: Record<string, string>) {
	const backend = await BackendProcess.create(
		{
			HOMELAB_BACKEND_CONCURRENCY: '16',
			HOMELAB_BACKEND_POLL_MS: '20',
			HOMELAB_BACKEND_LEASE_MS: '30000',
			...env,
		},
		{ tsx: false },
	);
	try {
		await backend.start();
		await sleep(2000);
		const metrics = await (
			await fetch(`${backend.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
		).text();
		const idleRss = Number(/^process_resident_memory_bytes (\d+)/m.exec(metrics)?.[1] ?? 0);

		// throughput: JOBS x STEPS steps that do nothing but get journaled
		const started = Date.now();
		await Promise.all(
			Array.from({ length: JOBS }, () =>
				backend.api('POST', '/v1/jobs', { type: 'selftest', input: { steps: STEPS } }),
			),
		);
		for (;;) {
			const { jobs } = await backend.api<{ jobs: Job[] }>('GET', `/v1/jobs?limit=500&status=succeeded`);
			if (jobs.length >= JOBS) break;
			await sleep(50);
		}
		const stepsPerSecond = (JOBS * STEPS) / ((Date.now() - started) / 1000);

		// resume after kill -9: a long job, killed mid-way; time until its next step is journaled
		const job = await backend.api<Job>('POST', '/v1/jobs', {
			type: 'selftest',
			input: { steps: 40, sleepMs: 50 },
		});
		const done = async () =>
			((await backend.api<Job>('GET', `/v1/jobs/${job.id}`)).steps ?? []).filter(
				(s) => s.status === 'succeeded',
			).length;
		while ((await done()) < 5) await sleep(20);
		await backend.kill();
		const killedAt = Date.now();
		const startMs = await backend.start();
		const atRestart = await done();
		while ((await done()) <= atRestart) await sleep(5);
		const resumeMs = Date.now() - killedAt;
		return { name, stepsPerSecond, resumeMs, startMs, idleRss };
	} finally {
		await backend.kill('SIGTERM');
	}
}

async function main(): Promise<void> {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'homelab-bench-backend-'));
	const pg = await startPostgres();
	try {
		const sqlite = await measure('SQLite', { HOMELAB_BACKEND_DB: path.join(dir, 'bench.sqlite') });
		const postgres = await measure('PostgreSQL', {
			HOMELAB_BACKEND_DATABASE_URL: pg.createDatabase('bench'),
			HOMELAB_BACKEND_INSTANCE_ID: 'bench',
		});
		for (const r of [sqlite, postgres])
			console.log(
				`${r.name.padEnd(10)} ${r.stepsPerSecond.toFixed(0).padStart(6)} durable steps/s (${JOBS} jobs x ${STEPS} steps)` +
					` | kill -9 -> next step journaled: ${r.resumeMs} ms (process start ${r.startMs} ms)` +
					` | idle RSS ${(r.idleRss / 1048576).toFixed(1)} MiB`,
			);
		console.log(
			`ratio SQLite/PostgreSQL steps/s: ${(sqlite.stepsPerSecond / postgres.stepsPerSecond).toFixed(2)}x`,
		);
		console.log(
			'(a restarted instance takes its jobs back at start: SQLite has one engine per file; PostgreSQL with a' +
				' stable HOMELAB_BACKEND_INSTANCE_ID. Another PostgreSQL instance takes them over when the lease lapses.)',
		);
	} finally {
		await pg.stop();
		rmSync(dir, { recursive: true, force: true });
	}
}

main().catch((error: Error) => {
	console.error(error);
	process.exit(1);
});
