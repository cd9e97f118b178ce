// The built backend as a child process, its Proxmox service configured like a real one (token, self-signed
// TLS), against the Proxmox VE simulator: provision-vm and backup-run run for real through the shared client.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { ProxmoxSimulator } from '../simulators/proxmox/server';
import { DsmSimulator } from '../simulators/synology/server';
import { BackendProcess } from './backend-process';
import { sleep } from './helpers';

interface StepView {
	name: string;
	status: string;
	output: unknown;
	attempts: number;
}
interface JobView {
	id: string;
	status: string;
	result: Record<string, unknown> | null;
	error: string | null;
	steps?: StepView[];
}

async function finished(backend: BackendProcess, id: string, timeoutMs = 30_000): Promise<JobView> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const job = await backend.api<JobView>('GET', `/v1/jobs/${id}`);
		if (['succeeded', 'failed', 'cancelled'].includes(job.status)) return job;
		if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status}: ${JSON.stringify(job.steps)}`);
		await sleep(50);
	}
}

const DAY = 86_400;

describe('backend process against the Proxmox VE simulator', () => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'homelab-pve-ops-'));
	const sim = new ProxmoxSimulator({ taskMs: 60, cloneMs: 400, vzdumpMs: 300, bootMs: 400 });
	const dsm = new DsmSimulator();
	let backend: BackendProcess;

	before(async () => {
		await sim.start();
		await dsm.start();
		const config = path.join(dir, 'backend.json');
		writeFileSync(
			config,
			JSON.stringify({
				services: {
					proxmox: {
						baseUrl: sim.url,
						tokenId: sim.tokens.admin.id,
						tokenSecret: sim.tokens.admin.secret,
						rejectUnauthorized: false,
						pollIntervalMs: 50,
					},
					synology: { baseUrl: dsm.url, username: dsm.account, password: dsm.password, pollIntervalMs: 50 },
				},
			}),
		);
		backend = await BackendProcess.create(
			{
				HOMELAB_BACKEND_CONFIG: config,
				HOMELAB_BACKEND_DB: path.join(dir, 'backend.sqlite'),
				HOMELAB_BACKEND_POLL_MS: '20',
				HOMELAB_BACKEND_LOG_LEVEL: 'debug',
			},
			{ tsx: false },
		);
		await backend.start();
	});
	after(async () => {
		await backend?.kill();
		await sim.stop();
		await dsm.close();
		rmSync(dir, { recursive: true, force: true });
	});

	it('provision-vm: reserve VMID -> clone -> cloud-init -> resize -> start -> guest-agent IP -> {vmid, ip, node}', async () => {
		const submitted = await backend.api<JobView>('POST', '/v1/jobs', {
			type: 'provision-vm',
			input: {
				node: 'pve1',
				template: 9000,
				name: 'web-1',
				diskSize: '32G',
				cores: 4,
				memoryMb: 4096,
				cloudInit: {
					user: 'lab',
					sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHomelabKey lab@host'],
					password: 'Cloud-Init-Secret-1',
					ip: '192.168.1.50/24',
					gateway: '192.168.1.1',
				},
				pollMs: 50,
			},
		});
		const job = await finished(backend, submitted.id);
		assert.equal(job.status, 'succeeded', `job failed: ${job.error}`);
		const vmid = job.result!.vmid as number;
		assert.deepEqual(job.result, { vmid, node: 'pve1', name: 'web-1', ip: '192.168.1.50' });
		assert.equal(vmid, 102, 'the cluster next free VMID (100 and 101 exist)');
		assert.deepEqual(
			job.steps!.map((step) => `${step.name}:${step.status}`),
			[
				...['reserve-vmid', 'clone', 'cloud-init', 'resize-disk', 'start', 'wait-ip'].map(
					(name) => `${name}:succeeded`,
				),
				// no compose stack asked for
				...['write', 'pull', 'build', 'up', 'health-wait'].map((name) => `stack-${name}:skipped`),
			],
		);

		// what the simulator now holds: the clone, configured, grown and running
		const vm = sim.vms.get(vmid)!;
		assert.equal(vm.status, 'running');
		assert.equal(vm.lock, undefined);
		assert.equal(vm.config.name, 'web-1');
		assert.match(String(vm.config.description), /homelab-job:[0-9a-f-]{36}:clone/);
		assert.equal(vm.config.ciuser, 'lab');
		// Proxmox stores the cloud-init password crypt()ed ("$5$salt$hash"): it must be the hash of the one sent
		const [, , salt, hash] = String(vm.config.cipassword).split('$');
		assert.equal(hash, createHash('sha256').update(`${salt}Cloud-Init-Secret-1`).digest('base64'));
		assert.equal(vm.config.ipconfig0, 'ip=192.168.1.50/24,gw=192.168.1.1');
		assert.equal(
			decodeURIComponent(String(vm.config.sshkeys)),
			'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHomelabKey lab@host',
		);
		assert.equal(String(vm.config.cores), '4');
		assert.equal(String(vm.config.memory), '4096');
		assert.match(String(vm.config.scsi0), /size=32G/);
		assert.equal(sim.perGuest.clone.get(vmid), 1, 'one clone');

		// the wire: the template was cloned with the key in the description, the resize sent once
		const writes = sim.requests
			.filter((request) => request.method !== 'GET' && request.path.includes(`/${vmid}`))
			.map((request) => `${request.method} ${request.path}`);
		assert.deepEqual(writes, [
			`PUT /nodes/pve1/qemu/${vmid}/config`,
			`PUT /nodes/pve1/qemu/${vmid}/resize`,
			`POST /nodes/pve1/qemu/${vmid}/status/start`,
		]);
		const clone = sim.requests.find((request) => request.path === '/nodes/pve1/qemu/9000/clone')!;
		assert.equal(clone.params.newid, String(vmid));
		assert.equal(clone.params.full, '1');

		// secrets never reach the log (it runs at debug level here)
		assert.ok(backend.output.length > 0, 'the backend logged');
		assert.ok(!backend.output.includes(sim.tokens.admin.secret), 'API token secret not logged');
		assert.ok(!backend.output.includes('Cloud-Init-Secret-1'), 'cloud-init password not logged');
	});

	it('provision-vm: two jobs handed the same free VMID both complete on different VMIDs', async () => {
		const before = sim.counters.clone;
		const input = (name: string) => ({
			node: 'pve1',
			template: 9000,
			name,
			cloudInit: { user: 'lab', ip: 'dhcp' },
			pollMs: 50,
		});
		const jobs = await Promise.all(
			['race-a', 'race-b', 'race-c'].map((name) =>
				backend.api<JobView>('POST', '/v1/jobs', { type: 'provision-vm', input: input(name) }),
			),
		);
		const done = await Promise.all(jobs.map((job) => finished(backend, job.id)));
		assert.deepEqual(
			done.map((job) => job.status),
			['succeeded', 'succeeded', 'succeeded'],
			JSON.stringify(done.map((job) => job.error)),
		);
		const vmids = done.map((job) => job.result!.vmid as number);
		assert.equal(new Set(vmids).size, 3, `distinct VMIDs ${vmids.join(', ')}`);
		assert.equal(sim.counters.clone - before, 3, 'exactly one clone per job');
		for (const [index, vmid] of vmids.entries())
			assert.equal(sim.vms.get(vmid)!.config.name, ['race-a', 'race-b', 'race-c'][index]);
	});

	it('backup-run: vzdump -> verify archives -> retention deletes what it does not keep', async () => {
		const now = Math.floor(Date.now() / 1000);
		const old = (vmid: number, daysAgo: number) => ({
			volid: `local:backup/vzdump-qemu-${vmid}-old${daysAgo}.vma.zst`,
			node: 'pve1',
			storage: 'local',
			vmid,
			ctime: now - daysAgo * DAY,
			size: 2 ** 30,
			format: 'vma.zst',
			kind: 'qemu' as const,
			config: {},
		});
		// VM 100: archives 1, 3 and 10 days old; daily 2 keeps today's new one and the 1-day-old one
		sim.backups.push(old(100, 1), old(100, 3), old(100, 10));
		const beforeVzdumps = sim.counters.vzdump;
		const submitted = await backend.api<JobView>('POST', '/v1/jobs', {
			type: 'backup-run',
			input: { node: 'pve1', storage: 'local', vmids: [100], retention: { daily: 2, weekly: 0 }, pollMs: 50 },
		});
		const job = await finished(backend, submitted.id);
		assert.equal(job.status, 'succeeded', `job failed: ${job.error}`);
		assert.equal(sim.counters.vzdump - beforeVzdumps, 1, 'one vzdump');
		const archive = sim.backups.find(
			(backup) => backup.vmid === 100 && backup.notes?.includes(submitted.id),
		)!;
		assert.ok(archive, 'the new archive carries the job key in its notes');
		const result = job.result as {
			archives: Array<{ vmid: number; volid: string; size: number; ok: boolean }>;
			retention: { deleted: string[] };
		};
		assert.deepEqual(result.archives, [
			{ vmid: 100, volid: archive.volid, size: archive.size, ok: true, configOptions: 11 },
		]);
		assert.deepEqual(result.retention.deleted.sort(), [old(100, 10).volid, old(100, 3).volid].sort());
		assert.deepEqual(
			sim.backups
				.filter((backup) => backup.vmid === 100)
				.map((backup) => backup.volid)
				.sort(),
			[archive.volid, old(100, 1).volid].sort(),
		);
		assert.equal(sim.counters.backupDelete, 2);
	});

	it('backup-run with restore-verify: the new archive restored into a scratch VMID, booted, seen on the network, destroyed', async () => {
		const scratchVmid = 9100;
		assert.equal(sim.vms.has(scratchVmid), false);
		const submitted = await backend.api<JobView>('POST', '/v1/jobs', {
			type: 'backup-run',
			input: {
				node: 'pve1',
				storage: 'local',
				vmids: [100],
				restoreVerify: { vmid: 100, scratchVmid, ipTimeoutMs: 20_000 },
				pollMs: 50,
			},
		});
		const job = await finished(backend, submitted.id);
		assert.equal(job.status, 'succeeded', `job failed: ${job.error}`);
		const archive = sim.backups.find((backup) => backup.vmid === 100 && backup.notes?.includes(submitted.id));
		assert.ok(archive);
		// the scratch guest existed (restored from this job's archive, booted) and is gone again
		const restore = sim.tasks.find((task) => task.type === 'qmrestore' && task.id === String(scratchVmid));
		assert.ok(restore, 'a qmrestore task for the scratch VMID');
		assert.equal(restore.exitstatus, 'OK');
		assert.ok(
			restore.log.some((line) => line.includes(archive.volid)),
			'restored from the new archive',
		);
		assert.ok(sim.tasks.some((task) => task.type === 'qmdestroy' && task.id === String(scratchVmid)));
		assert.equal(sim.vms.has(scratchVmid), false, 'the scratch VM is destroyed');
		assert.match(String((job.result!.restoreVerify as { ip?: string }).ip), /^\d+\.\d+\.\d+\.\d+$/);
		assert.deepEqual(
			job.steps!.filter((step) => step.name.startsWith('restore-verify')).map((step) => step.status),
			['succeeded', 'succeeded', 'succeeded', 'succeeded', 'succeeded', 'succeeded'],
		);
	});

	it('backup-run with Hyper Backup: vzdump -> verify -> the DSM task run and waited for', async () => {
		const submitted = await backend.api<JobView>('POST', '/v1/jobs', {
			type: 'backup-run',
			input: { node: 'pve1', storage: 'local', vmids: [100], hyperBackupTaskId: 1, pollMs: 50 },
		});
		const job = await finished(backend, submitted.id);
		assert.equal(job.status, 'succeeded', `job failed: ${job.error}`);
		assert.deepEqual(job.result!.hyperBackup, { result: 'done', finishedAt: '2026/11/22 03:07' });
		assert.equal(dsm.backupTasks.find((task) => task.task_id === 1)!.runs, 1, 'one Hyper Backup run');
		assert.ok(
			dsm.requests.some((request) => request.api === 'SYNO.Backup.Task' && request.method === 'backup'),
		);
	});

	it('backup-run with a Hyper Backup task DSM does not have fails at that step, not retried', async () => {
		const submitted = await backend.api<JobView>('POST', '/v1/jobs', {
			type: 'backup-run',
			input: { node: 'pve1', storage: 'local', vmids: [100], hyperBackupTaskId: 99, pollMs: 50 },
		});
		const job = await finished(backend, submitted.id);
		assert.equal(job.status, 'failed');
		assert.match(
			job.error ?? '',
			/step hyper-backup failed after 1 attempt\(s\): Synology: SYNO\.Backup\.Task/,
		);
		assert.match(job.error ?? '', /4401/);
	});

	it('backup-run: a guest that is not on the node fails the job naming the vzdump error', async () => {
		const submitted = await backend.api<JobView>('POST', '/v1/jobs', {
			type: 'backup-run',
			// VM 101 lives on pve2: vzdump on pve1 cannot find it
			input: { node: 'pve1', storage: 'local', vmids: [101], pollMs: 50 },
		});
		const job = await finished(backend, submitted.id, 60_000);
		assert.equal(job.status, 'failed');
		assert.match(job.error ?? '', /vzdump-101/);
		assert.match(job.error ?? '', /job errors|unable to find VM/);
	});

	it('a task failure retrying cannot fix (start of a template) fails the job at once with its advice', async () => {
		// the exit status qemu-server's vm_start dies with; injected once, so a retry would wrongly succeed
		sim.failNextTask('qmstart', "you can't start a vm if it's a template");
		const submitted = await backend.api<JobView>('POST', '/v1/jobs', {
			type: 'provision-vm',
			input: {
				node: 'pve1',
				template: 9000,
				name: 'tmpl-start',
				cloudInit: { user: 'lab', ip: 'dhcp' },
				pollMs: 50,
			},
		});
		const job = await finished(backend, submitted.id, 60_000);
		assert.equal(job.status, 'failed', JSON.stringify(job.steps));
		const start = job.steps!.find((step) => step.name === 'start')!;
		assert.deepEqual([start.status, start.attempts], ['failed', 1]);
		assert.match(job.error ?? '', /Task qmstart \d+ on pve1 failed: you can't start a vm if it's a template/);
		assert.match(job.error ?? '', /clone it .* and start the clone/);
	});

	it('a token Proxmox refuses fails the job at once, saying what to check', async () => {
		const config = path.join(dir, 'bad-token.json');
		writeFileSync(
			config,
			JSON.stringify({
				services: {
					proxmox: {
						baseUrl: sim.url,
						tokenId: sim.tokens.admin.id,
						tokenSecret: '00000000-0000-0000-0000-000000000000',
						rejectUnauthorized: false,
					},
				},
			}),
		);
		const other = await BackendProcess.create(
			{ HOMELAB_BACKEND_CONFIG: config, HOMELAB_BACKEND_DB: path.join(dir, 'bad.sqlite') },
			{ tsx: false },
		);
		try {
			await other.start();
			const submitted = await other.api<JobView>('POST', '/v1/jobs', {
				type: 'provision-vm',
				input: { node: 'pve1', template: 9000, name: 'nope', cloudInit: { user: 'lab', ip: 'dhcp' } },
			});
			const job = await finished(other, submitted.id);
			assert.equal(job.status, 'failed');
			assert.match(job.error ?? '', /401/);
			assert.match(job.error ?? '', /services\.proxmox\.tokenId \/ tokenSecret/);
			assert.equal(job.steps?.[0]?.attempts, 1, 'not retried');
		} finally {
			await other.kill();
		}
	});
});
