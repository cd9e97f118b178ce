// The Proxmox VE node's container lifecycle (suspend, resume, migrate, convert to template, restore), VM suspend to
// disk, snapshot deletion and cloud-init on several interfaces, inside real n8n against the simulator, which
// applies the API's rules (running state, locks, parameter schema) to every call.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { outputOf, type N8n, type WorkflowNode } from '../harness/n8n';
import { sharedN8n } from '../helpers/shared-n8n';
import { itemsNode, linearWorkflow } from '../helpers/workflows';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../simulators/proxmox/server';

// A key whose base64 has "+", "/" and "=": each must survive the double percent-encoding of sshkeys.
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGv0+QzDqLrz4/hW7u8nN1vJ0q4bZp6r8b3XbWk0yF2k= ops@laptop';
const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const fast = { pollInterval: 100 };

interface Task {
	type: string;
	exitstatus: string;
	durationMs: number;
	startedAt: string;
}

describe('Proxmox VE node: lifecycle operations inside real n8n', () => {
	let n8n: N8n;
	let sim: ProxmoxSimulator;
	let credential: { id: string; name: string };
	before(async () => {
		n8n = await sharedN8n();
		sim = await startProxmoxSimulator({ taskMs: 150, cloneMs: 600, vzdumpMs: 200, bootMs: 200 });
		credential = {
			name: 'PVE lifecycle',
			id: await n8n.createCredential('PVE lifecycle', 'proxmoxVeApi', {
				baseUrl: sim.url,
				authType: 'token',
				tokenId: sim.tokens.admin.id,
				tokenSecret: sim.tokens.admin.secret,
				allowSelfSigned: true,
			}),
		};
	});
	after(async () => await sim.stop());

	const pve = (
		name: string,
		parameters: Record<string, unknown>,
		extra: Record<string, unknown> = {},
	): WorkflowNode => ({
		name,
		type: 'n8n-nodes-homelab.proxmoxVe',
		typeVersion: 1,
		parameters: { node: rl('name', 'pve1'), taskOptions: fast, ...parameters },
		credentials: { proxmoxVeApi: credential },
		...extra,
	});
	const soft = { onError: 'continueRegularOutput' };
	const run = async (name: string, nodes: WorkflowNode[]) =>
		await n8n.runWorkflow(await n8n.importWorkflow(linearWorkflow(name, nodes)), 'Manual Trigger', 90000);
	const taskOf = (json: Record<string, unknown>) => json.task as Task;
	const assertWaited = (json: Record<string, unknown>, type: string) => {
		assert.equal(json.waited, true, JSON.stringify(json));
		const task = taskOf(json);
		assert.equal(task.type, type);
		assert.equal(task.exitstatus, 'OK');
		assert.equal(typeof task.durationMs, 'number');
		assert.ok(task.durationMs >= 0);
		assert.match(task.startedAt, /^\d{4}-\d\d-\d\dT/);
	};

	it('container: suspend -> resume -> migrate (restart mode) -> stop -> convert to template, each waited', async () => {
		const pihole = { vmid: rl('list', '200') };
		const result = await run('pve: ct lifecycle', [
			pve('Suspend', { resource: 'container', operation: 'suspend', ...pihole }),
			pve('Resume', { resource: 'container', operation: 'resume', ...pihole }),
			pve('Migrate', {
				resource: 'container',
				operation: 'migrate',
				...pihole,
				ctMigrateTarget: rl('list', 'pve2'),
				ctRestart: true,
				ctMigrateTimeout: 60,
			}),
			pve('Stop', {
				resource: 'container',
				operation: 'stop',
				node: rl('name', '={{ $json.node }}'),
				...pihole,
			}),
			pve('Template', {
				resource: 'container',
				operation: 'convertToTemplate',
				node: rl('name', 'pve2'),
				...pihole,
			}),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const suspend = outputOf(result, 'Suspend')[0].json;
		assertWaited(suspend, 'vzsuspend');
		// lxc-checkpoint -s saves the state and stops the container.
		assert.equal(suspend.status, 'stopped');
		const resume = outputOf(result, 'Resume')[0].json;
		assertWaited(resume, 'vzresume');
		assert.equal(resume.status, 'running');
		const migrate = outputOf(result, 'Migrate')[0].json;
		assertWaited(migrate, 'vzmigrate');
		assert.deepEqual(
			[migrate.from, migrate.node, migrate.restarted, migrate.status],
			['pve1', 'pve2', true, 'running'],
		);
		const migrateRequest = sim.requests.find((request) => request.path === '/nodes/pve1/lxc/200/migrate')!;
		assert.deepEqual(migrateRequest.params, { target: 'pve2', restart: '1', timeout: '60' });
		const migrateTask = sim.tasks.find((task) => task.type === 'vzmigrate')!;
		assert.ok(migrateTask.log.includes('shutdown CT 200'), migrateTask.log.join('\n'));
		assert.ok(migrateTask.log.includes('start container on target node'));
		const template = outputOf(result, 'Template')[0].json;
		// Proxmox answers null to the CT template call; the node found and waited for the vztemplate task.
		assertWaited(template, 'vztemplate');
		assert.match(String(template.upid), /^UPID:pve2:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:vztemplate:200:/);
		const ct = sim.vms.get(200)!;
		assert.deepEqual([ct.node, ct.template, ct.status], ['pve2', true, 'stopped']);
	});

	it('container: the API rules on running state, locks and snapshots come back as clear errors', async () => {
		sim.addVm({ kind: 'lxc', vmid: 210, node: 'pve1', name: 'idle' });
		sim.addVm({ kind: 'lxc', vmid: 220, node: 'pve1', name: 'busy', status: 'running' });
		const idle = { vmid: rl('id', '210') };
		const busy = { vmid: rl('id', '220') };
		const result = await run('pve: ct errors', [
			pve('Template Running', { resource: 'container', operation: 'convertToTemplate', ...busy }, soft),
			pve('Suspend Stopped', { resource: 'container', operation: 'suspend', ...idle }, soft),
			pve('Resume Running', { resource: 'container', operation: 'resume', ...busy }, soft),
			pve('Resume Never Suspended', { resource: 'container', operation: 'resume', ...idle }, soft),
			pve(
				'Migrate No Restart',
				{
					resource: 'container',
					operation: 'migrate',
					...busy,
					ctMigrateTarget: rl('name', 'pve3'),
					ctRestart: false,
				},
				soft,
			),
			pve(
				'Migrate Same Node',
				{ resource: 'container', operation: 'migrate', ...idle, ctMigrateTarget: rl('name', 'pve1') },
				soft,
			),
			pve('Clone', {
				resource: 'container',
				operation: 'clone',
				...idle,
				ctNewid: 230,
				ctHostname: 'idle-copy',
				waitForCompletion: false,
			}),
			pve('Template Locked', { resource: 'container', operation: 'convertToTemplate', ...idle }, soft),
			pve('Wait Clone', {
				resource: 'cluster',
				operation: 'waitForTask',
				upid: "={{ $('Clone').item.json.upid }}",
			}),
			pve('Snapshot', {
				resource: 'snapshot',
				operation: 'create',
				guestType: 'lxc',
				...idle,
				snapshotName: 'keep',
			}),
			pve('Template Snapshots', { resource: 'container', operation: 'convertToTemplate', ...idle }, soft),
			pve('Delete Snapshot', {
				resource: 'snapshot',
				operation: 'delete',
				guestType: 'lxc',
				...idle,
				snapname: rl('list', 'keep'),
			}),
			pve('Template', { resource: 'container', operation: 'convertToTemplate', ...idle }),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const error = (name: string) => outputOf(result, name)[0].json.error;
		assert.equal(
			error('Template Running'),
			"Proxmox VE: you can't convert a CT to template if the CT is running",
		);
		assert.equal(error('Suspend Stopped'), 'Proxmox VE: CT 210 not running');
		assert.equal(error('Resume Running'), 'Proxmox VE: CT 220 already running');
		assert.equal(
			error('Resume Never Suspended'),
			"Task vzresume 210 on pve1 failed: command 'lxc-checkpoint -n 210 -r --foreground -D /var/lib/vz/dump' failed: exit code 1",
		);
		assert.equal(
			error('Migrate No Restart'),
			"Proxmox VE: can't migrate running container without --online or --restart",
		);
		assert.equal(
			error('Migrate Same Node'),
			'Proxmox VE: Parameter verification failed. target: target is local node.',
		);
		assert.equal(error('Template Locked'), 'Proxmox VE: CT 210 is locked (disk)');
		assert.equal(
			error('Template Snapshots'),
			'Proxmox VE: unable to create template, because CT contains snapshots',
		);
		const deleted = outputOf(result, 'Delete Snapshot')[0].json;
		assertWaited(deleted, 'vzdelsnapshot');
		assert.equal(deleted.deleted, true);
		assertWaited(outputOf(result, 'Template')[0].json, 'vztemplate');
		assert.equal(sim.vms.get(210)?.template, true);
		assert.equal(sim.vms.get(210)?.snapshots.size, 0);
		assert.equal(sim.vms.get(220)?.status, 'running');
		assert.equal(sim.vms.get(220)?.node, 'pve1');
	});

	it('backup: restores a container backup as a new CT and over a stopped one; refuses what Proxmox refuses', async () => {
		sim.addVm({ kind: 'lxc', vmid: 240, node: 'pve1', name: 'wiki' });
		const restore = (
			name: string,
			parameters: Record<string, unknown>,
			extra: Record<string, unknown> = soft,
		) =>
			pve(
				name,
				{
					resource: 'backup',
					operation: 'restore',
					archive: rl('id', "={{ $('Backup').item.json.backups[0].volid }}"),
					...parameters,
				},
				extra,
			);
		const result = await run('pve: ct restore', [
			pve('Backup', {
				resource: 'backup',
				operation: 'run',
				storage: rl('name', 'local'),
				vmids: '240',
				compress: 'zstd',
			}),
			restore('Restore', { restoreVmid: '340', targetStorage: 'local-lvm', startAfterRestore: true }, {}),
			restore('Restore Again', { restoreVmid: '340', targetStorage: 'local-lvm' }),
			restore('Restore Running Over', { restoreVmid: '340', targetStorage: 'local-lvm', force: true }),
			pve('Stop', { resource: 'container', operation: 'stop', vmid: rl('id', '340') }),
			restore('Restore Over', { restoreVmid: '340', targetStorage: 'local-lvm', force: true }, {}),
			restore('Restore To Local', { restoreVmid: '341' }),
			restore('Restore As VM', { restoreVmid: '342', restoreGuestType: 'qemu' }),
			restore('Restore Over VM', { restoreVmid: '100', targetStorage: 'local-lvm', force: true }),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const backup = (outputOf(result, 'Backup')[0].json.backups as Array<{ volid: string }>)[0].volid;
		assert.match(backup, /^local:backup\/vzdump-lxc-240-\d{4}_\d\d_\d\d-\d\d_\d\d_\d\d\.tar\.zst$/);
		const restored = outputOf(result, 'Restore')[0].json;
		assertWaited(restored, 'vzrestore');
		assert.deepEqual([restored.guestType, restored.vmid, restored.archive], ['lxc', 340, backup]);
		const request = sim.requests.find(
			(entry) => entry.method === 'POST' && entry.path === '/nodes/pve1/lxc',
		)!;
		assert.deepEqual(request.params, {
			vmid: '340',
			ostemplate: backup,
			storage: 'local-lvm',
			start: '1',
			restore: '1',
		});
		const error = (name: string) => outputOf(result, name)[0].json.error;
		assert.equal(error('Restore Again'), "Proxmox VE: CT 340 already exists on node 'pve1'");
		assert.equal(error('Restore Running Over'), "Proxmox VE: can't overwrite running container");
		assertWaited(outputOf(result, 'Restore Over')[0].json, 'vzrestore');
		assert.equal(
			error('Restore To Local'),
			"Proxmox VE: Parameter verification failed. storage: storage 'local' does not support container directories",
		);
		assert.equal(error('Restore As VM'), `${backup} is a container backup; it cannot be restored as a VM`);
		assert.equal(error('Restore Over VM'), "Proxmox VE: VM 100 already exists on node 'pve1'");
		const ct = sim.vms.get(340)!;
		assert.deepEqual(
			[ct.kind, ct.config.hostname, ct.config.rootfs, ct.status],
			['lxc', 'wiki', 'local-lvm:vm-340-disk-0,size=8G', 'stopped'],
		);
		assert.equal(sim.vms.has(341), false);
		assert.equal(sim.vms.has(342), false);
		assert.equal(sim.counters.restore, 2);
	});

	it('VM: suspend to disk stops and locks the VM, resume starts it again; snapshot delete', async () => {
		const dns = { vmid: rl('id', '100') };
		const result = await run('pve: vm hibernate', [
			pve('Hibernate', { resource: 'vm', operation: 'suspend', ...dns, suspendToDisk: true }),
			pve(
				'Start Locked',
				{ resource: 'vm', operation: 'updateConfig', ...dns, updateFields: { cores: 4 } },
				soft,
			),
			pve('Resume', { resource: 'vm', operation: 'resume', ...dns }),
			pve('Snap A', { resource: 'snapshot', operation: 'create', ...dns, snapshotName: 'nightly-a' }),
			pve('Snap B', { resource: 'snapshot', operation: 'create', ...dns, snapshotName: 'nightly-b' }),
			pve('Delete A', {
				resource: 'snapshot',
				operation: 'delete',
				...dns,
				snapname: rl('list', 'nightly-a'),
			}),
			pve(
				'Delete Missing',
				{
					resource: 'snapshot',
					operation: 'delete',
					...dns,
					snapname: rl('name', 'nightly-a'),
				},
				soft,
			),
			pve('List', { resource: 'snapshot', operation: 'list', ...dns }),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const hibernate = outputOf(result, 'Hibernate')[0].json;
		assertWaited(hibernate, 'qmsuspend');
		assert.deepEqual([hibernate.status, hibernate.lock], ['stopped', 'suspended']);
		assert.equal(outputOf(result, 'Start Locked')[0].json.error, 'Proxmox VE: VM 100 is locked (suspended)');
		const resume = outputOf(result, 'Resume')[0].json;
		assertWaited(resume, 'qmresume');
		assert.deepEqual([resume.status, resume.qmpstatus, resume.lock], ['running', 'running', undefined]);
		const deleted = outputOf(result, 'Delete A')[0].json;
		assertWaited(deleted, 'qmdelsnapshot');
		assert.deepEqual([deleted.snapshot, deleted.deleted], ['nightly-a', true]);
		assert.equal(
			outputOf(result, 'Delete Missing')[0].json.error,
			"Proxmox VE: snapshot 'nightly-a' does not exist",
		);
		assert.deepEqual(
			outputOf(result, 'List').map((item) => item.json.name),
			['nightly-b'],
		);
		assert.deepEqual([...sim.vms.get(100)!.snapshots.keys()], ['nightly-b']);
	});

	it('cloud-init: user, password, SSH keys, DNS and three interfaces reach the VM config', async () => {
		const result = await run('pve: cloud-init nics', [
			pve('Cloud-Init', {
				resource: 'vm',
				operation: 'setCloudInit',
				node: rl('name', 'pve2'),
				vmid: rl('list', '101'),
				cloudInit: {
					ciuser: 'ops',
					cipassword: 'correct horse battery',
					sshkeys: `${KEY}\n`,
					nameserver: '192.168.1.1, 2606:4700:4700::1111',
					searchdomain: 'lab.example home.arpa',
				},
				ipConfigs: {
					interfaces: [
						{
							index: 0,
							ipv4: 'static',
							ipv4Address: '192.168.1.50/24',
							ipv4Gateway: '192.168.1.1',
							ipv6: 'auto',
						},
						{ index: 1, ipv4: 'dhcp' },
						{
							index: 2,
							ipv4: 'static',
							ipv4Address: '10.10.0.5/24',
							ipv6: 'static',
							ipv6Address: '2001:db8::5/64',
							ipv6Gateway: '2001:db8::1',
						},
					],
				},
			}),
			pve('Get', { resource: 'vm', operation: 'get', node: rl('name', 'pve2'), vmid: rl('id', '101') }),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const done = outputOf(result, 'Cloud-Init')[0].json;
		assertWaited(done, 'qmconfig');
		assert.deepEqual((done.changed as string[]).sort(), [
			'cipassword',
			'ciuser',
			'ipconfig0',
			'ipconfig1',
			'ipconfig2',
			'nameserver',
			'searchdomain',
			'sshkeys',
		]);
		const config = outputOf(result, 'Get')[0].json.config as Record<string, string>;
		assert.equal(config.ipconfig0, 'ip=192.168.1.50/24,gw=192.168.1.1,ip6=auto');
		assert.equal(config.ipconfig1, 'ip=dhcp');
		assert.equal(config.ipconfig2, 'ip=10.10.0.5/24,ip6=2001:db8::5/64,gw6=2001:db8::1');
		assert.equal(config.nameserver, '192.168.1.1 2606:4700:4700::1111');
		assert.equal(config.searchdomain, 'lab.example home.arpa');
		assert.equal(config.ciuser, 'ops');
		// Proxmox shows the password masked and keeps only its hash.
		assert.equal(config.cipassword, '**********');
		assert.match(String(sim.vms.get(101)!.config.cipassword), /^\$5\$/);
		const outputs = JSON.stringify([outputOf(result, 'Cloud-Init'), outputOf(result, 'Get')]);
		assert.ok(!outputs.includes('correct horse battery'), 'no output item carries the password');
		assert.equal(decodeURIComponent(config.sshkeys), `${KEY}\n`);
		// Proxmox's quirk: sshkeys is percent-encoded once for its "urlencoded" format, then again by the form.
		const request = sim.requests
			.filter((entry) => entry.method === 'POST' && entry.path === '/nodes/pve2/qemu/101/config')
			.pop()!;
		assert.match(
			request.rawBody,
			/sshkeys=ssh-ed25519%2520AAAAC3NzaC1lZDI1NTE5AAAAIGv0%252BQzDqLrz4%252FhW7u8/,
		);
		assert.match(request.rawBody, /yF2k%253D%2520ops%2540laptop%250A/);
	});

	it('cloud-init: malformed input fails item by item with the field and the fix', async () => {
		const base = {
			ipv4: 'static',
			address: '192.168.1.50/24',
			gw: '192.168.1.1',
			dns: '',
			user: '',
			ip0: '',
		};
		const result = await run('pve: cloud-init bad', [
			itemsNode('Inputs', [
				{ ...base, address: '192.168.1.300/24' },
				{ ...base, address: '10.0.0.5' },
				{ ...base, gw: 'router' },
				{ ...base, index: 32 },
				{ ...base, dns: '192.168.1.1 dns.google' },
				{ ...base, user: 'Ops Admin' },
				{ ...base, ip0: 'ip=dhcp' },
				{ ...base, ipv4: 'none' },
				{ ...base, dns: '1.1.1.1', user: 'ops' },
			]),
			pve(
				'Cloud-Init',
				{
					resource: 'vm',
					operation: 'setCloudInit',
					node: rl('name', 'pve2'),
					vmid: rl('id', '101'),
					cloudInit: {
						nameserver: '={{ $json.dns }}',
						ciuser: '={{ $json.user }}',
						ipconfig0: '={{ $json.ip0 }}',
					},
					ipConfigs: {
						interfaces: [
							{
								index: '={{ $json.index ?? 0 }}',
								ipv4: '={{ $json.ipv4 }}',
								ipv4Address: '={{ $json.address }}',
								ipv4Gateway: '={{ $json.gw }}',
							},
						],
					},
				},
				soft,
			),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const items = outputOf(result, 'Cloud-Init').map((item) => item.json);
		assert.deepEqual(
			items.map((item) => item.error),
			[
				'Interface 1 (net0) "ip=192.168.1.300/24,gw=192.168.1.1" is not valid (not dhcp or an IPv4 address with a /8-/32 prefix at "ip=192.168.1.300/24")',
				'Interface 1 (net0) "ip=10.0.0.5,gw=192.168.1.1" is not valid (not dhcp or an IPv4 address with a /8-/32 prefix at "ip=10.0.0.5")',
				'Interface 1 (net0): IPv4 gateway "router" is not an IPv4 address',
				'Interface 1: number 32 is not a network interface Proxmox knows',
				'DNS server "dns.google" is not an IP address',
				'Cloud-init user "Ops Admin" is not a valid Linux user name',
				'net0 is configured twice',
				'Interface 1 (net0): neither IPv4 nor IPv6 is configured',
				undefined,
			],
		);
		assert.match(String(items[3].errorDescription), /Use 0 to 31/);
		assert.match(
			String(items[6].errorDescription),
			/either in "IP Config \(Net0\)" or under "IP Config per Interface"/,
		);
		assert.equal(items[8].waited, true);
		const config = sim.vms.get(101)!.config;
		assert.deepEqual([config.nameserver, config.ciuser], ['1.1.1.1', 'ops']);
	});

	it('fills the dropdowns for containers and backups (only the chosen guest type)', async () => {
		const search = async (methodName: string, parameters: Record<string, unknown>) =>
			(
				await n8n.rest<{ data: { results: Array<{ name: string; value: string }> } }>(
					'POST',
					'/dynamic-node-parameters/resource-locator-results',
					{
						path: 'parameters.vmid',
						nodeTypeAndVersion: { name: 'n8n-nodes-homelab.proxmoxVe', version: 1 },
						methodName,
						currentNodeParameters: { node: rl('list', 'pve1'), ...parameters },
						credentials: { proxmoxVeApi: credential },
					},
				)
			).data.results;
		assert.deepEqual(
			(await search('searchContainers', { resource: 'container', operation: 'suspend' })).map(
				(entry) => entry.value,
			),
			['210', '220', '230', '240', '340'],
		);
		const vmBackupRun = await run('pve: vm backup for list', [
			pve('Backup', { resource: 'backup', operation: 'run', storage: rl('name', 'local'), vmids: '100' }),
		]);
		assert.equal(vmBackupRun.status, 'success', JSON.stringify(vmBackupRun.error));
		const all = await search('searchBackups', {
			resource: 'backup',
			operation: 'restore',
			restoreGuestType: 'auto',
		});
		assert.deepEqual(
			all.map((entry) => entry.value.replace(/-\d{4}_.*/, '')),
			['local:backup/vzdump-qemu-100', 'local:backup/vzdump-lxc-240'],
		);
		assert.match(all[1].name, /^240 CT wiki · \d{4}-\d\d-\d\d \d\d:\d\d · local:backup\/vzdump-lxc-240-/);
		const containers = await search('searchBackups', {
			resource: 'backup',
			operation: 'restore',
			restoreGuestType: 'lxc',
		});
		assert.deepEqual(
			containers.map((entry) => entry.value),
			[all[1].value],
		);
	});
});
