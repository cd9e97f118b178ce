// kill -9 the backend at random moments while 100 real jobs (70 provision-vm, 30 backup-run) run against the
// Proxmox VE simulator, which counts every clone and vzdump it starts per guest. Every job must complete with
// exactly one clone per new VM and one vzdump per backed-up guest: the steps' checks (the idempotency key in the
// clone's description and the archive's notes, the checkpointed VMID and UPID, active vzdump tasks) find the
// work a killed process started instead of starting it again.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { startPostgres, type PostgresService } from '../services/postgres';
import { ProxmoxSimulator } from '../simulators/proxmox/server';
import { BackendProcess } from './backend-process';
import { sleep } from './helpers';

const PROVISIONS = 70;
const BACKUPS = 30;
const KILLS = 10;
const FIRST_GUEST = 300;

interface StepView {
	name: string;
	status: string;
	output: { recovered?: boolean } | null;
}
interface JobView {
	id: string;
	type: string;
	status: string;
	claims: number;
	error: string | null;
	result: { vmid?: number; ip?: string; archives?: Array<{ vmid: number; volid: string }> } | null;
	steps?: StepView[];
}

async function crashRun(dir: string, name: string, env: Record<string, string>) {
	const sim = new ProxmoxSimulator({ taskMs: 40, cloneMs: 250, vzdumpMs: 200, bootMs: 150 });
	for (let i = 0; i < BACKUPS; i++)
		sim.addVm({ vmid: FIRST_GUEST + i, node: 'pve1', name: `guest-${i}`, status: 'running' });
	await sim.start();
	const config = path.join(dir, `${name}.json`);
	writeFileSync(
		config,
		JSON.stringify({
			services: {
				proxmox: {
					baseUrl: sim.url,
					tokenId: sim.tokens.admin.id,
					tokenSecret: sim.tokens.admin.secret,
					rejectUnauthorized: false,
					pollIntervalMs: 40,
				},
			},
		}),
	);
	const backend = await BackendProcess.create(
		{
			HOMELAB_BACKEND_CONFIG: config,
			HOMELAB_BACKEND_CONCURRENCY: '10',
			HOMELAB_BACKEND_POLL_MS: '20',
			...env,
		},
		{ tsx: false },
	);
	const started = Date.now();
	try {
		await backend.start();
		const submit = (type: string, input: unknown) =>
			backend.api<JobView>('POST', '/v1/jobs', { type, input });
		// interleaved so that kills land in both kinds of job
		for (let i = 0; i < PROVISIONS + BACKUPS; i++) {
			if (i % 10 < 7) {
				const n = Math.floor(i / 10) * 7 + (i % 10);
				await submit('provision-vm', {
					node: 'pve1',
					template: 9000,
					name: `crash-${n}`,
					diskSize: '16G',
					cloudInit: { user: 'lab', ip: 'dhcp' },
					pollMs: 40,
				});
			} else {
				const n = Math.floor(i / 10) * 3 + (i % 10) - 7;
				await submit('backup-run', { node: 'pve1', storage: 'local', vmids: [FIRST_GUEST + n], pollMs: 40 });
			}
		}
		const list = () => backend.api<{ jobs: JobView[] }>('GET', '/v1/jobs?limit=500').then((r) => r.jobs);
		const done = (jobs: JobView[]) =>
			jobs.every((job) => ['succeeded', 'failed', 'cancelled'].includes(job.status));
		let kills = 0;
		const restartMs: number[] = [];
		while (kills < KILLS) {
			await sleep(300 + Math.random() * 900);
			if (done(await list())) break;
			await backend.kill();
			kills++;
			restartMs.push(await backend.start());
		}
		const deadline = Date.now() + 120_000;
		let jobs = await list();
		while (!done(jobs)) {
			if (Date.now() > deadline)
				throw new Error(
					`jobs not done: ${JSON.stringify(jobs.filter((job) => job.status !== 'succeeded').slice(0, 3))}`,
				);
			await sleep(200);
			jobs = await list();
		}
		const detailed = await Promise.all(jobs.map((job) => backend.api<JobView>('GET', `/v1/jobs/${job.id}`)));
		return { sim, jobs: detailed, kills, restartMs, seconds: (Date.now() - started) / 1000 };
	} finally {
		await backend.kill();
		await sim.stop();
	}
}

function assertExactlyOnce(run: Awaited<ReturnType<typeof crashRun>>) {
	const { sim, jobs } = run;
	assert.equal(jobs.length, PROVISIONS + BACKUPS);
	assert.deepEqual(
		jobs.filter((job) => job.status !== 'succeeded').map((job) => `${job.type}: ${job.error}`),
		[],
		'every job completes',
	);
	// provision-vm: one clone per job, each VM configured and running under the VMID the job reports
	const vmids = jobs.filter((job) => job.type === 'provision-vm').map((job) => job.result!.vmid!);
	assert.equal(new Set(vmids).size, PROVISIONS, 'a VMID per job');
	assert.equal(sim.counters.clone, PROVISIONS, 'clones started');
	assert.deepEqual(
		[...sim.perGuest.clone].filter(([, count]) => count !== 1),
		[],
		'0 duplicate clones',
	);
	for (const job of jobs.filter((entry) => entry.type === 'provision-vm')) {
		const vm = sim.vms.get(job.result!.vmid!)!;
		assert.ok(String(vm.config.description).includes(job.id), `VM ${vm.vmid} was cloned by job ${job.id}`);
		assert.equal(vm.status, 'running');
		assert.match(String(vm.config.scsi0), /size=16G/);
		assert.equal(job.result!.ip, `192.168.100.${(vm.vmid % 200) + 20}`);
	}
	// backup-run: one vzdump per guest, the archive carrying the job's key
	assert.equal(sim.counters.vzdump, BACKUPS, 'vzdumps started');
	assert.deepEqual(
		[...sim.perGuest.vzdump].filter(([, count]) => count !== 1),
		[],
		'0 duplicate vzdumps',
	);
	assert.equal(sim.backups.length, BACKUPS);
	for (const job of jobs.filter((entry) => entry.type === 'backup-run')) {
		const [archive] = job.result!.archives!;
		assert.ok(sim.backups.find((backup) => backup.volid === archive.volid)?.notes?.includes(job.id));
	}
	assert.ok(run.kills >= 3, `killed ${run.kills} times mid-run`);
	assert.ok(
		jobs.some((job) => job.claims > 1),
		'some jobs were interrupted and resumed',
	);
}

function summary(name: string, run: Awaited<ReturnType<typeof crashRun>>): string {
	const recovered = run.jobs.flatMap((job) =>
		(job.steps ?? []).filter((step) => step.output?.recovered).map((step) => step.name),
	);
	return (
		`# ${name}: ${run.kills} kills in ${run.seconds.toFixed(1)} s, ${run.jobs.filter((job) => job.claims > 1).length} jobs resumed, ` +
		`${recovered.length} steps (${[...new Set(recovered)].join(', ') || 'none'}) found the work a killed process started, ` +
		`clones ${run.sim.counters.clone}, vzdumps ${run.sim.counters.vzdump}, restart ${Math.max(...run.restartMs)} ms max`
	);
}

describe('kill -9 across 100 jobs against the Proxmox VE simulator', () => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'homelab-crash-pve-'));
	let pg: PostgresService | undefined;
	before(async () => {
		pg = await startPostgres();
	});
	after(async () => {
		await pg?.stop();
		rmSync(dir, { recursive: true, force: true });
	});

	it('SQLite: every job completes, 0 duplicate clones or vzdumps', async () => {
		const run = await crashRun(dir, 'sqlite', { HOMELAB_BACKEND_DB: path.join(dir, 'crash.sqlite') });
		console.log(summary('sqlite', run));
		assertExactlyOnce(run);
	});

	it('PostgreSQL: every job completes, 0 duplicate clones or vzdumps', async () => {
		const run = await crashRun(dir, 'postgres', {
			HOMELAB_BACKEND_DATABASE_URL: pg!.createDatabase('crash_pve'),
			// a restarted instance takes its jobs back at once (a 60 s lease would otherwise stall every restart)
			HOMELAB_BACKEND_INSTANCE_ID: 'crash-pve',
			HOMELAB_BACKEND_LEASE_MS: '60000',
		});
		console.log(summary('postgres', run));
		assertExactlyOnce(run);
	});
});
