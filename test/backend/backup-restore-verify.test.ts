// backup-run proves its archives restore: restore-verify on by default (one VM per run, in rotation), each
// archive's guest config read back through Proxmox (extractconfig), the scratch VMID refused when a guest this
// backend did not create has it, and the restored VM destroyed also when it does not boot. The built backend as
// a child process against the Proxmox VE simulator.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { ProxmoxSimulator } from '../simulators/proxmox/server';
import { BackendProcess } from './backend-process';
import { sleep } from './helpers';

interface StepView {
	name: string;
	status: string;
	output: Record<string, unknown> | null;
	error?: string | null;
}
interface JobView {
	id: string;
	status: string;
	result: Record<string, unknown> | null;
	error: string | null;
	steps?: StepView[];
}

const SCRATCH = 9999;

describe('backup-run restore-verify and archive check against the Proxmox VE simulator', () => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'homelab-restore-verify-'));
	const sim = new ProxmoxSimulator({ taskMs: 60, cloneMs: 300, vzdumpMs: 200, bootMs: 300 });
	let backend: BackendProcess;

	async function run(input: Record<string, unknown>, timeoutMs = 60_000): Promise<JobView> {
		const { id } = await backend.api<JobView>('POST', '/v1/jobs', {
			type: 'backup-run',
			input: { node: 'pve1', storage: 'local', pollMs: 50, ...input },
		});
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const job = await backend.api<JobView>('GET', `/v1/jobs/${id}`);
			if (['succeeded', 'failed', 'cancelled'].includes(job.status)) return job;
			if (Date.now() > deadline)
				throw new Error(`job ${id} still ${job.status}: ${JSON.stringify(job.steps)}`);
			await sleep(50);
		}
	}
	const step = (job: JobView, name: string) => job.steps!.find((entry) => entry.name === name);
	const tasksOn = (type: string, vmid: number) =>
		sim.tasks.filter((task) => task.type === type && task.id === String(vmid));

	before(async () => {
		sim.addVm({ vmid: 102, node: 'pve1', name: 'web', status: 'running', agent: '1' });
		sim.addVm({ vmid: 103, node: 'pve1', name: 'no-agent', status: 'running', agent: '0' });
		await sim.start();
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
				},
			}),
		);
		backend = await BackendProcess.create(
			{
				HOMELAB_BACKEND_CONFIG: config,
				HOMELAB_BACKEND_DB: path.join(dir, 'backend.sqlite'),
				HOMELAB_BACKEND_POLL_MS: '20',
			},
			{ tsx: false },
		);
		await backend.start();
	});
	after(async () => {
		await backend?.kill();
		await sim.stop();
		rmSync(dir, { recursive: true, force: true });
	});

	it('on by default: one VM of the run, in rotation by day, restored into 9999 off the network, booted, destroyed', async () => {
		const day = Math.floor(Date.now() / 86_400_000);
		// the container 200 is backed up and its archive checked, but only VMs take turns at booting
		const job = await run({ vmids: [100, 200, 102] });
		assert.equal(job.status, 'succeeded', job.error ?? '');
		const verified = job.result!.restoreVerify as {
			vmid: number;
			volid: string;
			scratchVmid: number;
			ip?: string;
		};
		const expected = [[100, 102][day % 2], [100, 102][(day + 1) % 2]];
		assert.ok(expected.includes(verified.vmid), `verified ${verified.vmid}`);
		assert.equal(verified.scratchVmid, SCRATCH);
		const archive = sim.backups.find(
			(backup) => backup.vmid === verified.vmid && backup.notes?.includes(job.id),
		);
		assert.equal(verified.volid, archive!.volid, "tonight's new archive");
		const [restore] = tasksOn('qmrestore', SCRATCH).slice(-1);
		assert.equal(restore.exitstatus, 'OK');
		assert.ok(restore.log.some((line) => line.includes(archive!.volid)));
		// marked as ours and its network link down before it was started
		const configured = sim.requests.find(
			(request) => request.method === 'PUT' && request.path.endsWith(`/qemu/${SCRATCH}/config`),
		);
		assert.match(configured!.params.net0, /,link_down=1$/);
		assert.match(configured!.params.description, /^homelab-backend restore-verify /);
		assert.equal(configured!.params.onboot, '0');
		assert.equal(tasksOn('qmstart', SCRATCH).length, 1);
		assert.equal(sim.vms.has(SCRATCH), false, 'destroyed');
		assert.equal(step(job, 'restore-verify-destroy')!.status, 'succeeded');
		// each archive, the container's too, was read back through Proxmox
		const archives = job.result!.archives as Array<{ vmid: number; configOptions: number }>;
		assert.deepEqual(
			archives.map((entry) => entry.vmid),
			[100, 200, 102],
		);
		for (const entry of archives) assert.ok(entry.configOptions > 3, JSON.stringify(entry));
		assert.equal(
			sim.requests.filter((request) => request.path.endsWith('/vzdump/extractconfig')).length >= 3,
			true,
		);
	});

	it('a damaged archive fails its verify step at once (extractconfig cannot read it); nothing is restored', async () => {
		const restoresBefore = sim.counters.restore;
		sim.corruptNextArchive();
		const job = await run({ vmids: [100] });
		assert.equal(job.status, 'failed');
		assert.match(job.error ?? '', /step verify-100 failed after 1 attempt\(s\)/);
		assert.match(
			job.error ?? '',
			/cannot be read: command 'vma config \/var\/lib\/vz\/dump\/vzdump-qemu-100-.*\.vma' failed: exit code 255/,
		);
		assert.equal(sim.counters.restore, restoresBefore);
	});

	it('a scratch VMID held by a guest this backend did not create is refused and left alone', async () => {
		sim.addVm({ vmid: SCRATCH, node: 'pve1', name: 'precious', status: 'running' });
		const destroys = tasksOn('qmdestroy', SCRATCH).length;
		try {
			const job = await run({ vmids: [100] });
			assert.equal(job.status, 'failed');
			assert.match(
				job.error ?? '',
				/VMID 9999 on pve1 belongs to a guest this backend did not create \(precious\)/,
			);
			assert.equal(sim.vms.get(SCRATCH)?.config.name, 'precious');
			assert.equal(sim.vms.get(SCRATCH)?.status, 'running');
			assert.equal(tasksOn('qmdestroy', SCRATCH).length, destroys, 'not destroyed');
		} finally {
			sim.vms.delete(SCRATCH);
		}
	});

	it("a leftover of an earlier restore-verify (cancelled mid-way) is removed, then tonight's runs", async () => {
		const leftover = sim.addVm({ vmid: SCRATCH, node: 'pve1', name: 'leftover', status: 'running' });
		leftover.config.description = 'homelab-backend restore-verify job-1:backup: copy of 100';
		const job = await run({ vmids: [100] });
		assert.equal(job.status, 'succeeded', job.error ?? '');
		assert.deepEqual(step(job, 'restore-verify-scratch')!.output, { free: true, removedLeftover: SCRATCH });
		assert.equal(sim.vms.has(SCRATCH), false);
	});

	it('a restored VM that does not start is destroyed, then the job fails saying why', async () => {
		sim.failNextTask('qmstart', 'start failed: QEMU exited with code 1');
		const job = await run({ vmids: [100] });
		assert.equal(job.status, 'failed');
		assert.match(
			job.error ?? '',
			/restore-verify of 100 from .*: the restored VM did not boot: .*QEMU exited with code 1/,
		);
		assert.match(job.error ?? '', /scratch VM 9999 destroyed/);
		assert.equal(step(job, 'restore-verify-destroy')!.status, 'succeeded');
		assert.equal(sim.vms.has(SCRATCH), false);
	});

	it('a restored VM whose guest agent never answers is destroyed after ipTimeoutMs, then the job fails', async () => {
		const job = await run({ vmids: [103], restoreVerify: { vmid: 103, ipTimeoutMs: 1500 } });
		assert.equal(job.status, 'failed');
		assert.match(job.error ?? '', /did not boot: its guest agent did not answer within 2 s/);
		assert.equal(sim.vms.has(SCRATCH), false);
		assert.equal(step(job, 'restore-verify-destroy')!.status, 'succeeded');
	});

	it('restoreVerify: false switches it off; bad restore guests answer 400 and queue nothing', async () => {
		const off = await run({ vmids: [100], restoreVerify: false });
		assert.equal(off.status, 'succeeded', off.error ?? '');
		assert.equal(off.result!.restoreVerify, null);
		assert.equal(off.steps!.filter((entry) => entry.name.startsWith('restore-verify')).length, 0);
		const refused = async (restoreVerify: unknown, pattern: RegExp) =>
			await assert.rejects(
				backend.api('POST', '/v1/jobs', {
					type: 'backup-run',
					input: { node: 'pve1', storage: 'local', vmids: [100, 102], restoreVerify },
				}),
				(error: Error) => {
					assert.match(error.message, /: 400 /);
					assert.match(error.message, pattern);
					return true;
				},
			);
		await refused({ vmid: 555 }, /guest 555 is not backed up by this run \(vmids: 100, 102\)/);
		await refused({ vmids: [100, 555] }, /guest 555 is not backed up by this run/);
		await refused({ scratchVmid: 102 }, /scratchVmid 102 is a guest this run backs up/);
		await refused({ vmid: 100, vmids: [100] }, /either vmid .* or vmids/);
		await refused({ scratchVmid: 5 }, /scratchVmid/);
	});
});
