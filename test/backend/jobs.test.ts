// The lab's jobs (provision-vm, backup-run, deploy-stack) on both stores against in-memory Proxmox/Docker
// stand-ins that count clones and vzdumps; interrupted runs resume without a second clone or vzdump.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Engine } from '../../backend/src/engine/engine';
import { retained } from '../../backend/src/jobs/backup-run';
import { builtinJobs } from '../../backend/src/jobs';
import type { JobServices } from '../../backend/src/jobs/ops';
import type { Store } from '../../backend/src/store/types';
import { FakeDocker, FakeProxmox } from './fakes';
import { bothStores, settled, until } from './helpers';

function engineOn(store: Store, services: JobServices) {
	const engine = new Engine<JobServices>({ store, jobs: builtinJobs, services, pollMs: 10, leaseMs: 2000 });
	engine.start();
	return engine;
}

const provisionInput = {
	node: 'pve',
	template: 9000,
	name: 'web-1',
	diskSize: '32G',
	cores: 2,
	memoryMb: 2048,
	cloudInit: {
		user: 'lab',
		sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHomelabKey lab@host'],
		ip: '192.168.1.50/24',
		gateway: '192.168.1.1',
	},
	pollMs: 10,
};

for (const kind of bothStores()) {
	describe(`jobs on ${kind.name}`, () => {
		it('provision-vm: clone, cloud-init, resize, start, IP, optional stack -> {vmid, ip, node}', async () => {
			const store = await kind.open();
			const proxmox = new FakeProxmox();
			const docker = new FakeDocker();
			const engine = engineOn(store, { proxmox, docker });
			const { job } = await engine.submit({
				type: 'provision-vm',
				input: { ...provisionInput, stack: { project: 'whoami', compose: 'services: {}', pollMs: 10 } },
			});
			const done = await settled(store, job.id);
			await engine.stop();
			assert.equal(done.error, null);
			assert.equal(done.status, 'succeeded');
			const result = done.result as { vmid: number; ip: string; node: string; stack: unknown };
			assert.deepEqual(
				{ vmid: result.vmid, ip: result.ip, node: result.node },
				{ vmid: 100, ip: '10.0.0.100', node: 'pve' },
			);
			assert.equal(proxmox.clones, 1);
			const vm = proxmox.vms.get(100)!;
			assert.equal(vm.status, 'running');
			assert.equal(vm.disks.scsi0, 32 * 1024 ** 3);
			assert.equal(vm.config.ciuser, 'lab');
			assert.equal(vm.config.ipconfig0, 'ip=192.168.1.50/24,gw=192.168.1.1');
			assert.equal(
				vm.config.sshkeys,
				encodeURIComponent('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHomelabKey lab@host'),
			);
			assert.equal(docker.projects.get('10.0.0.100/whoami')?.up, true);
			assert.deepEqual(done.lockKeys, ['vm-name:pve/web-1']);
		});

		it('provision-vm interrupted mid-clone resumes without a second clone', async () => {
			const store = await kind.open();
			const proxmox = new FakeProxmox(300);
			const first = engineOn(store, { proxmox });
			const { job } = await first.submit({ type: 'provision-vm', input: provisionInput });
			await until('the clone to start', async () => (proxmox.clones ? true : undefined));
			await first.stop(); // the clone task keeps running on "Proxmox"
			const second = engineOn(store, { proxmox });
			const done = await settled(store, job.id);
			await second.stop();
			assert.equal(done.status, 'succeeded', done.error ?? '');
			assert.equal(proxmox.clones, 1, 'no second clone');
			const clone = (await store.steps(job.id)).find((step) => step.name === 'clone')!;
			assert.equal(clone.attempts, 2);
			assert.deepEqual(clone.output, { vmid: 100, node: 'pve', recovered: true });
		});

		it('backup-run: vzdump each guest, verify, retention, restore-verify into a scratch VM; resumes without a second vzdump', async () => {
			const store = await kind.open();
			const proxmox = new FakeProxmox(150);
			for (const vmid of [101, 102])
				proxmox.vms.set(vmid, { config: { name: `vm${vmid}` }, status: 'running', disks: {} });
			const day = 86_400;
			const now = Math.floor(Date.now() / 1000);
			// 20 old daily archives of 101
			for (let i = 1; i <= 20; i++)
				proxmox.backups.push({
					volid: `nas:backup/old-101-${i}.vma.zst`,
					vmid: 101,
					ctime: now - i * day,
					size: 10,
				});
			const first = engineOn(store, { proxmox });
			const { job } = await first.submit({
				type: 'backup-run',
				input: {
					node: 'pve',
					storage: 'nas',
					vmids: [101, 102],
					retention: { daily: 3, weekly: 2 },
					restoreVerify: { vmid: 101, scratchVmid: 9999 },
					pollMs: 10,
				},
			});
			await until('the first vzdump to start', async () => (proxmox.vzdumps ? true : undefined));
			await first.stop();
			const second = engineOn(store, { proxmox });
			const done = await settled(store, job.id);
			await second.stop();
			assert.equal(done.status, 'succeeded', done.error ?? '');
			assert.equal(proxmox.vzdumps, 2, 'one vzdump per guest, none repeated');
			const result = done.result as {
				archives: Array<{ vmid: number; ok: boolean; size: number }>;
				retention: { deleted: string[] };
			};
			assert.deepEqual(
				result.archives.map((archive) => [archive.vmid, archive.ok, archive.size]),
				[
					[101, true, 1234],
					[102, true, 1234],
				],
			);
			// 101 keeps: today's new archive + 2 more days (daily 3) + the newest of the 2 weeks the ones kept do not cover
			const left101 = proxmox.backups.filter((backup) => backup.vmid === 101);
			assert.equal(left101.length + result.retention.deleted.length, 21);
			assert.ok(left101.length >= 3 && left101.length <= 5, `kept ${left101.length}`);
			assert.equal(proxmox.restores, 1);
			assert.deepEqual(proxmox.destroyed, [9999]);
			assert.deepEqual(done.lockKeys, ['vm:101', 'vm:102', 'vm:9999']);
		});

		it('deploy-stack: write, pull, up, wait healthy, report; unhealthy services fail the job in words', async () => {
			const store = await kind.open();
			const docker = new FakeDocker();
			const engine = engineOn(store, { docker });
			const ok = await settled(
				store,
				(
					await engine.submit({
						type: 'deploy-stack',
						input: { host: 'docker1', project: 'media', compose: 'services: {}', pollMs: 10 },
					})
				).job.id,
			);
			assert.equal(ok.status, 'succeeded', ok.error ?? '');
			assert.deepEqual((ok.result as { services: unknown }).services, [
				{ service: 'web', state: 'running', health: 'healthy' },
				{ service: 'db', state: 'running' },
			]);
			// same compose again: the write step finds it already there
			const again = await settled(
				store,
				(
					await engine.submit({
						type: 'deploy-stack',
						input: { host: 'docker1', project: 'media', compose: 'services: {}', pollMs: 10 },
					})
				).job.id,
			);
			assert.equal(again.status, 'succeeded');
			assert.equal(docker.writes, 1);
			docker.health = 'unhealthy';
			const bad = await settled(
				store,
				(
					await engine.submit({
						type: 'deploy-stack',
						input: { host: 'docker1', project: 'other', compose: 'x: 1', pollMs: 10, healthTimeoutMs: 1000 },
					})
				).job.id,
			);
			await engine.stop();
			assert.equal(bad.status, 'failed');
			assert.match(bad.error ?? '', /services not healthy after 1000 ms: web=running\/unhealthy, db=running/);
		});

		it('a job needing a service that is not configured fails at once, saying so', async () => {
			const store = await kind.open();
			const engine = engineOn(store, {});
			const done = await settled(
				store,
				(await engine.submit({ type: 'provision-vm', input: provisionInput })).job.id,
			);
			await engine.stop();
			assert.equal(done.status, 'failed');
			assert.match(done.error ?? '', /no proxmox client configured/);
			assert.equal((await store.steps(done.id))[0].failures, 1);
		});
	});
}

describe('backup retention', () => {
	it('keeps the newest archive per day for N days and per ISO week for M weeks', () => {
		const day = 86_400;
		const base = Date.UTC(2026, 10, 22, 12) / 1000; // a Sunday
		const archives = Array.from({ length: 30 }, (_, i) => ({
			volid: `a${i}`,
			vmid: 100,
			ctime: base - i * day,
			size: 1,
		}));
		// two archives on the newest day: only the newer one counts for that day
		archives.push({ volid: 'same-day-older', vmid: 100, ctime: base - 3600, size: 1 });
		const keep = retained(archives, 3, 3);
		assert.deepEqual([...keep].sort(), ['a0', 'a1', 'a14', 'a2', 'a7'].sort());
	});
});
