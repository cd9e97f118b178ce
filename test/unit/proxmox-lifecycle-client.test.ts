// The client's container lifecycle calls, the node task list, and the simulator's schema rules for those
// endpoints (the same 400s Proxmox gives for unknown parameters, bad VMIDs and "requires"), plus the cloud-init
// input checks.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
	type ProxmoxApiError,
	ProxmoxClient,
	ProxmoxInputError,
	type ProxmoxTaskError,
	assertCloudInitUser,
	assertIpConfig,
	assertNameservers,
	assertSearchDomains,
	backupGuestKind,
	isIpv6,
} from '../../clients/proxmox';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../simulators/proxmox/server';

describe('Proxmox client: container lifecycle against the simulator', () => {
	let sim: ProxmoxSimulator;
	let client: ProxmoxClient;
	before(async () => {
		sim = await startProxmoxSimulator({ taskMs: 400, cloneMs: 400, vzdumpMs: 200, bootMs: 100 });
		client = new ProxmoxClient({
			baseUrl: sim.url,
			auth: { type: 'token', tokenId: sim.tokens.admin.id, secret: sim.tokens.admin.secret },
			allowSelfSigned: true,
			pollIntervalMs: 40,
		});
	});
	after(async () => await sim.stop());

	const rejects400 = async (promise: Promise<unknown>, errors: Record<string, string>) =>
		await assert.rejects(promise, (error: ProxmoxApiError) => {
			assert.equal(error.status, 400);
			assert.deepEqual(error.details.errors, errors);
			return true;
		});

	it('suspends (checkpoint, stopped) and resumes a container; both are vz* tasks', async () => {
		const suspend = await client.waitForTask(await client.containerPower('pve1', 200, 'suspend'));
		assert.deepEqual([suspend.type, suspend.exitstatus, suspend.id], ['vzsuspend', 'OK', '200']);
		assert.equal((await client.containerStatus('pve1', 200)).status, 'stopped');
		const resume = await client.waitForTask(await client.containerPower('pve1', 200, 'resume'));
		assert.equal(resume.type, 'vzresume');
		assert.equal((await client.containerStatus('pve1', 200)).status, 'running');
		await assert.rejects(client.containerPower('pve1', 200, 'resume'), /CT 200 already running/);
	});

	it('lists node tasks: archive (finished) by default, running ones with source=active, filtered by vmid and type', async () => {
		const upid = await client.migrateContainer('pve1', 200, { target: 'pve3', restart: true, timeout: 30 });
		const active = await client.nodeTasks('pve1', { source: 'active', vmid: 200 });
		assert.deepEqual(
			active.map((task) => [task.upid, task.status]),
			[[upid, undefined]],
		);
		assert.equal(sim.vms.get(200)?.lock, 'migrate');
		assert.ok(!(await client.nodeTasks('pve1', { vmid: 200 })).some((task) => task.upid === upid));
		await client.waitForTask(upid);
		const archived = await client.nodeTasks('pve1', { vmid: 200, typefilter: 'vzmigrate' });
		assert.deepEqual(
			archived.map((task) => [task.upid, task.status]),
			[[upid, 'OK']],
		);
		const types = (await client.nodeTasks('pve1', { vmid: 200 })).map((task) => task.type);
		assert.deepEqual(types, ['vzmigrate', 'vzresume', 'vzsuspend']);
		assert.deepEqual(
			[sim.vms.get(200)?.node, sim.vms.get(200)?.status, sim.vms.get(200)?.lock],
			['pve3', 'running', undefined],
		);
	});

	it('live migration of a container fails inside the task, as pve-container has none', async () => {
		const upid = await client.post<string>('/nodes/pve3/lxc/200/migrate', { target: 'pve1', online: 1 });
		await assert.rejects(client.waitForTask(upid), (error: ProxmoxTaskError) => {
			assert.equal(error.exitstatus, 'migration aborted');
			assert.match(
				error.logTail.join('\n'),
				/ERROR: migration aborted .*lxc live migration is currently not implemented/,
			);
			return true;
		});
		assert.equal(sim.vms.get(200)?.node, 'pve3');
	});

	it('the CT template call answers null; its vztemplate task is in the node task list', async () => {
		await client.waitForTask(await client.containerPower('pve3', 200, 'stop'));
		assert.equal(await client.post('/nodes/pve3/lxc/200/template'), null);
		const [task] = await client.nodeTasks('pve3', { vmid: 200, typefilter: 'vztemplate', source: 'all' });
		assert.equal(task.type, 'vztemplate');
		await client.waitForTask(task.upid);
		assert.equal(sim.vms.get(200)?.template, true);
	});

	it('converts a stopped container to a template through the task list', async () => {
		sim.addVm({ kind: 'lxc', vmid: 250, node: 'pve2', name: 'base' });
		const upid = await client.convertContainerToTemplate('pve2', 250);
		assert.ok(upid);
		const task = await client.waitForTask(upid);
		assert.deepEqual([task.type, task.id, task.node], ['vztemplate', '250', 'pve2']);
		assert.equal(sim.vms.get(250)?.template, true);
		await assert.rejects(
			client.convertContainerToTemplate('pve2', 250),
			/you can't convert a template to a template/,
		);
	});

	it('restores container and VM backups and refuses the other type early', async () => {
		sim.addVm({ kind: 'lxc', vmid: 260, node: 'pve1', name: 'git' });
		await client.waitForTask(
			await client.vzdump('pve1', { vmid: '260,100', storage: 'local', compress: 'zstd' }),
		);
		const backups = await client.storageContent('pve1', 'local', { content: 'backup' });
		const ct = backups.find((volume) => volume.vmid === 260)!.volid;
		const vm = backups.find((volume) => volume.vmid === 100)!.volid;
		assert.deepEqual([backupGuestKind(ct), backupGuestKind(vm)], ['lxc', 'qemu']);
		const restored = await client.waitForTask(
			await client.restoreContainer('pve1', { vmid: 360, archive: ct, storage: 'local-lvm' }),
		);
		assert.equal(restored.type, 'vzrestore');
		assert.equal((await client.containerConfig('pve1', 360)).hostname, 'git');
		await assert.rejects(
			client.restoreContainer('pve1', { vmid: 361, archive: vm, storage: 'local-lvm' }),
			(error: ProxmoxInputError) =>
				error instanceof ProxmoxInputError &&
				/is a VM backup; it cannot be restored as a container/.test(error.message),
		);
		await assert.rejects(
			client.restoreVm('pve1', { vmid: 361, archive: ct }),
			/is a container backup; it cannot be restored as a VM/,
		);
		// Sent anyway (the name does not say), the simulator fails the task as the real restore does.
		const wrong = await client.post<string>('/nodes/pve1/lxc', {
			vmid: 362,
			ostemplate: vm,
			restore: 1,
			storage: 'local-lvm',
		});
		await assert.rejects(client.waitForTask(wrong), /unable to restore CT 362/);
		assert.equal(sim.vms.has(362), false);
		await client.waitForTask(await client.restoreVm('pve1', { vmid: 460, archive: vm }));
		assert.equal((await client.vmConfig('pve1', 460)).name, 'dns');
	});

	it('the simulator rejects unknown parameters, bad VMIDs and "requires" on the new endpoints', async () => {
		await rejects400(client.post('/nodes/pve1/lxc/260/status/suspend', { todisk: 1 }), {
			todisk: 'property is not defined in schema and the schema does not allow additional properties',
		});
		await rejects400(client.post('/nodes/pve1/lxc/99/status/resume'), {
			vmid: 'value must have a minimum value of 100',
		});
		await rejects400(client.post('/nodes/pve1/lxc/260/migrate', {}), {
			target: 'property is missing and it is not optional',
		});
		await rejects400(client.post('/nodes/pve1/lxc/260/migrate', { target: 'pve1' }), {
			target: 'target is local node.',
		});
		await rejects400(client.post('/nodes/pve1/lxc/260/template', { disk: 'rootfs' }), {
			disk: 'property is not defined in schema and the schema does not allow additional properties',
		});
		await rejects400(
			client.post('/nodes/pve1/lxc', { vmid: 370, ostemplate: 'local:vztmpl/x.tar.zst', unique: 1 }),
			{ restore: "missing property required by 'unique'" },
		);
		await rejects400(client.post('/nodes/pve1/qemu', { vmid: 470, force: 1 }), {
			archive: "missing property required by 'force'",
		});
		await rejects400(client.post('/nodes/pve1/qemu/100/status/suspend', { statestorage: 'local-lvm' }), {
			todisk: "missing property required by 'statestorage'",
		});
		await rejects400(client.get('/nodes/pve1/tasks', { source: 'everything' }), {
			source: "value 'everything' does not have a value in the enumeration 'archive, active, all'",
		});
		await rejects400(client.post('/nodes/pve1/qemu/100/migrate', { target: 'pve1' }), {
			target: 'target is local node.',
		});
	});

	it('the simulator checks cloud-init values like qemu-server (ipconfigN, N < 32, nameserver)', async () => {
		const upid = await client.updateVmConfig('pve1', 100, {
			ipconfig5: 'ip=10.5.0.2/24,gw=10.5.0.1',
			ipconfig31: 'ip6=auto',
			nameserver: '10.5.0.1 1.1.1.1',
		});
		await client.waitForTask(upid!);
		assert.equal((await client.vmConfig('pve1', 100)).ipconfig5, 'ip=10.5.0.2/24,gw=10.5.0.1');
		await rejects400(client.updateVmConfig('pve1', 100, { ipconfig32: 'ip=dhcp' }), {
			ipconfig32: 'property is not defined in schema and the schema does not allow additional properties',
		});
		await rejects400(client.updateVmConfig('pve1', 100, { ipconfig1: 'ip=10.0.0.5,gw=10.0.0.1' }), {
			ipconfig1:
				'invalid format - format error\nip: invalid format - value does not look like a valid ipv4 network configuration',
		});
		await rejects400(client.updateVmConfig('pve1', 100, { ipconfig1: 'gw=10.0.0.1' }), {
			ipconfig1: "invalid format - format error\nip: missing property required by 'gw'",
		});
		await rejects400(client.updateVmConfig('pve1', 100, { ipconfig1: 'ip=dhcp,mtu=1500' }), {
			ipconfig1: 'invalid format - invalid key in comma-separated list property: mtu',
		});
		await rejects400(client.updateVmConfig('pve1', 100, { nameserver: '1.1.1.1 not_a_host!' }), {
			nameserver: 'invalid format - value does not look like a valid address: not_a_host!',
		});
	});
});

describe('Proxmox cloud-init input checks', () => {
	it('ipconfig: addresses, prefixes, gateways need a static address of their family', () => {
		assert.equal(assertIpConfig('ip=manual'), 'ip=manual');
		assert.equal(
			assertIpConfig('ip=10.0.0.5/24,gw=10.0.0.1,ip6=2001:db8::5/64,gw6=2001:db8::1'),
			'ip=10.0.0.5/24,gw=10.0.0.1,ip6=2001:db8::5/64,gw6=2001:db8::1',
		);
		assert.throws(
			() => assertIpConfig('ip=10.0.0.256/24'),
			/not dhcp or an IPv4 address with a \/8-\/32 prefix/,
		);
		assert.throws(() => assertIpConfig('ip=10.0.0.5/4'), /\/8-\/32 prefix at "ip=10.0.0.5\/4"/);
		assert.throws(
			() => assertIpConfig('ip=dhcp,gw=10.0.0.1'),
			/a gateway \(gw\) needs a static ip=ADDRESS\/PREFIX/,
		);
		assert.throws(() => assertIpConfig('ip6=auto,gw6=fe80::1'), /IPv6 gateway \(gw6\) needs a static ip6/);
		assert.throws(() => assertIpConfig('ip=dhcp,ip=dhcp'), /ip given twice/);
		assert.throws(
			() => assertIpConfig('ip=dhcp,mtu=9000'),
			/unknown key: use ip, gw, ip6 or gw6 at "mtu=9000"/,
		);
		assert.throws(() => assertIpConfig(''), /is not valid \(empty\)/);
		assert.deepEqual(
			[
				'::1',
				'2001:db8::',
				'fe80::1:2:3:4',
				'::ffff:10.0.0.1',
				'2001:db8:::1',
				'1:2:3:4:5:6:7:8:9',
				'g::1',
			].map(isIpv6),
			[true, true, true, true, false, false, false],
		);
	});

	it('DNS servers, search domains and the user name', () => {
		assert.equal(
			assertNameservers(' 192.168.1.1,1.1.1.1;  2606:4700::1111 '),
			'192.168.1.1 1.1.1.1 2606:4700::1111',
		);
		assert.throws(() => assertNameservers('dns.google'), /DNS server "dns.google" is not an IP address/);
		assert.throws(() => assertNameservers(' , '), /No DNS server given/);
		assert.equal(assertSearchDomains('lab.example, home.arpa'), 'lab.example home.arpa');
		assert.throws(
			() => assertSearchDomains('lab_example'),
			/DNS domain "lab_example" is not a valid domain name/,
		);
		assert.equal(assertCloudInitUser(' ops '), 'ops');
		assert.throws(() => assertCloudInitUser('root admin'), /is not a valid Linux user name/);
		assert.throws(() => assertCloudInitUser('-x'), /is not a valid Linux user name/);
	});

	it('tells the guest type of a backup from its name', () => {
		assert.equal(backupGuestKind('local:backup/vzdump-qemu-100-2025_01_31-02_00_00.vma.zst'), 'qemu');
		assert.equal(backupGuestKind('nas:backup/vzdump-lxc-200-2025_01_31-02_00_00.tar.zst'), 'lxc');
		assert.equal(backupGuestKind('pbs:backup/ct/200/2025-01-31T02:00:00Z'), 'lxc');
		assert.equal(backupGuestKind('pbs:backup/vm/100/2025-01-31T02:00:00Z'), 'qemu');
		assert.equal(backupGuestKind('local:backup/my-archive.tar'), undefined);
	});
});
