import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
	encodeSshKeys,
	nodeRequest,
	type ProxmoxApiError,
	ProxmoxCancelledError,
	ProxmoxClient,
	ProxmoxInputError,
	ProxmoxTaskError,
	ProxmoxTimeoutError,
	assertIpConfig,
	assertNodeName,
	assertSnapshotName,
	assertVmid,
	parseSshKeys,
	parseTokenId,
	parseUpid,
	type HttpRequest,
	type TaskProgress,
} from '../../clients/proxmox';
import { ROOT_PASSWORD, startProxmoxSimulator, type ProxmoxSimulator } from '../simulators/proxmox/server';

const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGv0TQzDqLrz4HhW7u8nN1vJ0q4bZp6r8b3XbWk0yF2k lab@laptop';
const RSA = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7vIq2s0dKcL1l+X5pQ9y2ZfE3mUe7J8k= ops key';

describe('Proxmox client against the simulator', () => {
	let sim: ProxmoxSimulator;
	let client: ProxmoxClient;
	const sent: HttpRequest[] = [];
	before(async () => {
		sim = await startProxmoxSimulator({ taskMs: 150, cloneMs: 600, vzdumpMs: 300, bootMs: 500 });
		client = new ProxmoxClient({
			baseUrl: sim.url,
			auth: { type: 'token', tokenId: sim.tokens.admin.id, secret: sim.tokens.admin.secret },
			allowSelfSigned: true,
			pollIntervalMs: 50,
			request: async (request) => {
				sent.push(request);
				return await nodeRequest(request);
			},
		});
	});
	after(async () => await sim.stop());

	it('authenticates with an API token header and unwraps {data}', async () => {
		assert.equal(await client.nextId(), 102);
		const last = sent[sent.length - 1];
		assert.equal(last.headers.authorization, `PVEAPIToken=root@pam!n8n=${sim.tokens.admin.secret}`);
		assert.equal(last.url, `${sim.url}/api2/json/cluster/nextid`);
		assert.equal((await client.version()).release, '8.4');
	});

	it('logs in with a ticket and sends the CSRF token on writes only', async () => {
		const seen: HttpRequest[] = [];
		const ticketClient = new ProxmoxClient({
			baseUrl: `${sim.url}/api2/json/`,
			auth: { type: 'password', username: 'root', realm: 'pam', password: ROOT_PASSWORD },
			allowSelfSigned: true,
			pollIntervalMs: 50,
			request: async (request) => {
				seen.push(request);
				return await nodeRequest(request);
			},
		});
		const nodes = await ticketClient.nodes();
		assert.deepEqual(
			nodes.map((node) => node.node),
			['pve1', 'pve2', 'pve3'],
		);
		assert.equal(seen[0].url, `${sim.url}/api2/json/access/ticket`);
		assert.equal(seen[0].body, `username=root%40pam&password=${ROOT_PASSWORD}`);
		assert.match(seen[1].headers.cookie, /^PVEAuthCookie=PVE%3Aroot%40pam%3A/);
		assert.equal(seen[1].headers.csrfpreventiontoken, undefined);
		const upid = await ticketClient.createSnapshot('pve1', 100, 'ticket-snap');
		assert.ok(seen[seen.length - 1].headers.csrfpreventiontoken);
		await ticketClient.waitForTask(upid);
		await assert.rejects(
			new ProxmoxClient({
				baseUrl: sim.url,
				auth: { type: 'password', username: 'root@pam', password: 'wrong' },
				allowSelfSigned: true,
			}).nodes(),
			(error: ProxmoxApiError) => error.status === 401 && error.message === 'authentication failure',
		);
	});

	it('the simulator refuses a ticket write without CSRF token (401)', async () => {
		const login = await nodeRequest({
			method: 'POST',
			url: `${sim.url}/api2/json/access/ticket`,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: `username=root@pam&password=${ROOT_PASSWORD}`,
			allowSelfSigned: true,
			timeoutMs: 5000,
		});
		const ticket = (JSON.parse(login.body) as { data: { ticket: string } }).data.ticket;
		const write = await nodeRequest({
			method: 'POST',
			url: `${sim.url}/api2/json/nodes/pve1/qemu/100/snapshot`,
			headers: {
				cookie: `PVEAuthCookie=${encodeURIComponent(ticket)}`,
				'content-type': 'application/x-www-form-urlencoded',
			},
			body: 'snapname=nocsrf',
			allowSelfSigned: true,
			timeoutMs: 5000,
		});
		assert.equal(write.status, 401);
		assert.equal(write.statusText, 'Permission denied - invalid csrf token');
	});

	it('refuses the self-signed certificate unless allowed', async () => {
		const strict = new ProxmoxClient({
			baseUrl: sim.url,
			auth: { type: 'token', tokenId: sim.tokens.admin.id, secret: sim.tokens.admin.secret },
		});
		await assert.rejects(strict.version(), (error: ProxmoxApiError) => {
			assert.equal(error.status, 0);
			assert.match(error.message, /certificate of 127\.0\.0\.1:\d+ does not verify \(self-signed\)/);
			return true;
		});
	});

	it('tells a wrong token (401) from a token without privileges (403 + missing privilege)', async () => {
		const wrong = new ProxmoxClient({
			baseUrl: sim.url,
			auth: { type: 'token', tokenId: sim.tokens.admin.id, secret: '00000000-0000-0000-0000-000000000000' },
			allowSelfSigned: true,
		});
		await assert.rejects(
			wrong.version(),
			(error: ProxmoxApiError) => error.status === 401 && /invalid token value/.test(error.message),
		);
		const privsep = new ProxmoxClient({
			baseUrl: sim.url,
			auth: { type: 'token', tokenId: sim.tokens.noPrivileges.id, secret: sim.tokens.noPrivileges.secret },
			allowSelfSigned: true,
		});
		assert.equal((await privsep.version()).release, '8.4');
		await assert.rejects(privsep.cloneVm('pve1', 9000, { newid: 500 }), (error: ProxmoxApiError) => {
			assert.equal(error.status, 403);
			assert.deepEqual(error.missingPrivilege, { path: '/vms/9000', privilege: 'VM.Clone' });
			return true;
		});
		assert.equal(sim.vms.has(500), false);
	});

	it('waits for a clone, reporting log progress, and the new VM is locked (clone) meanwhile', async () => {
		const clonesBefore = sim.counters.clone;
		const newid = await client.nextId();
		const upid = await client.cloneVm('pve1', 9000, {
			newid,
			name: 'web-1',
			full: true,
			storage: 'local-lvm',
		});
		assert.equal(parseUpid(upid).type, 'qmclone');
		await assert.rejects(client.updateVmConfig('pve1', newid, { cores: 4 }), (error: ProxmoxApiError) => {
			assert.equal(error.status, 500);
			assert.equal(error.message, `VM ${newid} is locked (clone)`);
			return true;
		});
		const progress: TaskProgress[] = [];
		const result = await client.waitForTask(upid, { onProgress: (entry) => progress.push(entry) });
		assert.equal(result.exitstatus, 'OK');
		assert.equal(result.type, 'qmclone');
		assert.equal(result.node, 'pve1');
		assert.ok(progress.some((entry) => entry.status === 'running'));
		assert.ok(
			progress.flatMap((entry) => entry.newLogLines).some((line) => /transferred .* \(50\.00%\)/.test(line)),
		);
		assert.equal(sim.counters.clone, clonesBefore + 1);
		const config = await client.vmConfig('pve1', newid);
		assert.equal(config.name, 'web-1');
		assert.equal(config.lock, undefined);
	});

	it('fails a task with its exit status and last log lines', async () => {
		sim.failNextTask('qmclone', "storage 'local-lvm' is full");
		const upid = await client.cloneVm('pve1', 9000, { newid: await client.nextId() });
		await assert.rejects(client.waitForTask(upid), (error: ProxmoxTaskError) => {
			assert.ok(error instanceof ProxmoxTaskError);
			assert.equal(error.exitstatus, "storage 'local-lvm' is full");
			assert.equal(error.message, "Task qmclone 9000 on pve1 failed: storage 'local-lvm' is full");
			assert.equal(error.logTail[error.logTail.length - 1], "TASK ERROR: storage 'local-lvm' is full");
			return true;
		});
	});

	it('accepts a start of a template with a UPID; the task fails as qemu-server vm_start does, with advice', async () => {
		// qemu-server's vm_start API forks the worker first; PVE::QemuServer::vm_start dies inside the task.
		const upid = await client.vmPower('pve1', 9000, 'start');
		assert.match(upid, /^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmstart:9000:root@pam!n8n:$/);
		await assert.rejects(client.waitForTask(upid), (error: ProxmoxTaskError) => {
			assert.ok(error instanceof ProxmoxTaskError);
			assert.equal(error.exitstatus, "you can't start a vm if it's a template");
			assert.equal(
				error.message,
				"Task qmstart 9000 on pve1 failed: you can't start a vm if it's a template",
			);
			assert.equal(error.logTail.at(-1), "TASK ERROR: you can't start a vm if it's a template");
			assert.match(error.hint, /clone it .* and start the clone/);
			assert.equal(error.retryable, false);
			return true;
		});
		assert.equal((await client.vmStatus('pve1', 9000)).status, 'stopped');
	});

	it('a lock fails power tasks inside the task; stopping a stopped VM ends OK (vm_stop returns)', async () => {
		const vmid = await client.nextId();
		await client.waitForTask(await client.cloneVm('pve1', 9000, { newid: vmid, name: 'locked-vm' }));
		sim.vms.get(vmid)!.lock = 'backup';
		const upid = await client.vmPower('pve1', vmid, 'start');
		await assert.rejects(client.waitForTask(upid), (error: ProxmoxTaskError) => {
			assert.equal(error.exitstatus, `VM ${vmid} is locked (backup)`);
			assert.match(error.hint, /qm unlock/);
			assert.equal(error.retryable, true);
			return true;
		});
		const stopped = await client.waitForTask(await client.vmPower('pve1', vmid, 'stop'));
		assert.equal(stopped.exitstatus, 'OK');
		delete sim.vms.get(vmid)!.lock;
		sim.addVm({ kind: 'lxc', vmid: 290, node: 'pve1', name: 'ct-template', template: true });
		await assert.rejects(
			client.waitForTask(await client.containerPower('pve1', 290, 'start')),
			(error: ProxmoxTaskError) => error.exitstatus === "you can't start a CT if it's a template",
		);
		// request-time checks stay request-time (pve-container vm_stop: "CT n not running" before the fork)
		await assert.rejects(client.containerPower('pve1', 290, 'stop'), /CT 290 not running/);
	});

	it('times out and can be cancelled while a task runs', async () => {
		const slow = await startProxmoxSimulator({ cloneMs: 60000 });
		try {
			const slowClient = new ProxmoxClient({
				baseUrl: slow.url,
				auth: { type: 'token', tokenId: slow.tokens.admin.id, secret: slow.tokens.admin.secret },
				allowSelfSigned: true,
				pollIntervalMs: 50,
			});
			const upid = await slowClient.cloneVm('pve1', 9000, { newid: 210 });
			const started = Date.now();
			await assert.rejects(slowClient.waitForTask(upid, { timeoutMs: 400 }), (error: ProxmoxTimeoutError) => {
				assert.ok(error instanceof ProxmoxTimeoutError);
				assert.match(error.message, /^Task qmclone 9000 on pve1 still running after 0 s/);
				assert.equal(error.upid, upid);
				return true;
			});
			assert.ok(Date.now() - started < 3000);
			const controller = new AbortController();
			setTimeout(() => controller.abort(), 150);
			await assert.rejects(
				slowClient.waitForTask(upid, { signal: controller.signal }),
				ProxmoxCancelledError,
			);
		} finally {
			await slow.stop();
		}
	});

	it('starts a VM, waits for the guest agent IP (500 while booting), rejects a second start', async () => {
		const vmid = await client.nextId();
		await client.waitForTask(await client.cloneVm('pve1', 9000, { newid: vmid, name: 'agent-vm' }));
		await client.waitForTask(await client.vmPower('pve1', vmid, 'start'));
		await assert.rejects(client.agentNetworkInterfaces('pve1', vmid), (error: ProxmoxApiError) => {
			assert.equal(error.status, 500);
			assert.equal(error.message, 'QEMU guest agent is not running');
			return true;
		});
		const messages: string[] = [];
		const ip = await client.waitForGuestIp('pve1', vmid, {
			timeoutMs: 5000,
			onProgress: (message) => messages.push(message),
		});
		assert.match(ip.ip, /^192\.168\.100\.\d+$/);
		assert.ok(messages.some((message) => /QEMU guest agent is not running/.test(message)));
		assert.ok(ip.ips.every((entry) => entry.family === 'ipv4' && entry.interface === 'eth0'));
		await assert.rejects(
			client.waitForTask(await client.vmPower('pve1', vmid, 'start')),
			(error: ProxmoxTaskError) => {
				assert.equal(error.exitstatus, `VM ${vmid} already running`);
				return true;
			},
		);
		// A VM without agent configured fails at once instead of waiting out the timeout.
		await client.waitForTask(await client.vmPower('pve2', 101, 'start'));
		await assert.rejects(
			client.waitForGuestIp('pve2', 101, { timeoutMs: 10000 }),
			/No QEMU guest agent configured/,
		);
	});

	it('gives up waiting for an IP after the timeout', async () => {
		const slowBoot = await startProxmoxSimulator({ bootMs: 60000, taskMs: 50 });
		try {
			const c = new ProxmoxClient({
				baseUrl: slowBoot.url,
				auth: { type: 'token', tokenId: slowBoot.tokens.admin.id, secret: slowBoot.tokens.admin.secret },
				allowSelfSigned: true,
				pollIntervalMs: 50,
			});
			await c.waitForTask(await c.vmPower('pve1', 100, 'reboot'));
			await assert.rejects(
				c.waitForGuestIp('pve1', 100, { timeoutMs: 300 }),
				(error: ProxmoxTimeoutError) =>
					error instanceof ProxmoxTimeoutError &&
					/VM 100 reported no IP address within 0 s \(QEMU guest agent is not running\)/.test(error.message),
			);
		} finally {
			await slowBoot.stop();
		}
	});

	it('sends cloud-init sshkeys percent-encoded (%20), which the API needs, and the simulator rejects raw keys', async () => {
		const encoded = encodeSshKeys(`${ED25519}\n\n${RSA}\n`);
		assert.equal(encoded.includes('+'), false);
		assert.match(encoded, /^ssh-ed25519%20AAAA/);
		assert.match(encoded, /%0Assh-rsa%20/);
		const upid = await client.updateVmConfig('pve1', 100, {
			ciuser: 'ops',
			sshkeys: encoded,
			ipconfig0: 'ip=10.0.0.5/24,gw=10.0.0.1',
		});
		assert.ok(upid);
		await client.waitForTask(upid);
		const last = sim.requests.filter((request) => request.path === '/nodes/pve1/qemu/100/config').pop()!;
		assert.match(last.rawBody, /sshkeys=ssh-ed25519%2520AAAA/);
		const config = await client.vmConfig('pve1', 100);
		assert.equal(decodeURIComponent(String(config.sshkeys)), `${ED25519}\n${RSA}\n`);
		await assert.rejects(
			client.updateVmConfig('pve1', 100, { sshkeys: ED25519 }),
			(error: ProxmoxApiError) => {
				assert.equal(error.status, 400);
				assert.match(error.details.errors?.sshkeys ?? '', /^invalid urlencoded string/);
				return true;
			},
		);
	});

	it('gets parameter errors per parameter for unknown parameters and bad VMIDs', async () => {
		await assert.rejects(
			client.post('/nodes/pve1/qemu/100/status/start', { turbo: 1 }),
			(error: ProxmoxApiError) => {
				assert.equal(error.status, 400);
				assert.deepEqual(error.details.errors, {
					turbo: 'property is not defined in schema and the schema does not allow additional properties',
				});
				assert.match(error.message, /^Parameter verification failed\. turbo: property is not defined/);
				return true;
			},
		);
		await assert.rejects(client.get('/nodes/pve1/qemu/42/config'), (error: ProxmoxApiError) => {
			assert.equal(error.status, 400);
			assert.deepEqual(error.details.errors, { vmid: 'value must have a minimum value of 100' });
			return true;
		});
		await assert.rejects(
			client.vmConfig('pve1', 777),
			/Configuration file 'nodes\/pve1\/qemu-server\/777.conf' does not exist/,
		);
	});

	it('snapshots, rolls back and deletes', async () => {
		await client.waitForTask(
			await client.createSnapshot('pve1', 100, 'before-upgrade', { description: 'pre' }),
		);
		await client.waitForTask((await client.updateVmConfig('pve1', 100, { cores: 8 })) as string);
		assert.equal((await client.vmConfig('pve1', 100)).cores, '8');
		const list = await client.snapshots('pve1', 100);
		assert.deepEqual(
			list.map((snap) => snap.name),
			['ticket-snap', 'before-upgrade', 'current'],
		);
		await client.waitForTask(await client.rollbackSnapshot('pve1', 100, 'before-upgrade'));
		assert.equal((await client.vmConfig('pve1', 100)).cores, 2);
		await client.waitForTask(await client.deleteSnapshot('pve1', 100, 'before-upgrade'));
		assert.deepEqual(
			(await client.snapshots('pve1', 100)).map((snap) => snap.name),
			['ticket-snap', 'current'],
		);
	});

	it('LXC: creates from a container template, starts, reads interfaces, snapshots, clones, deletes', async () => {
		const vmid = await client.nextId();
		const upid = await client.createContainer('pve1', {
			vmid,
			ostemplate: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
			hostname: 'ct-web',
			sshPublicKeys: `${ED25519}\n${RSA}`,
			storage: 'local-lvm',
			rootfs: 'local-lvm:8',
			net0: 'name=eth0,bridge=vmbr0,ip=10.0.0.7/24,gw=10.0.0.1',
			unprivileged: true,
		});
		assert.equal(parseUpid(upid).type, 'vzcreate');
		const created = sim.requests.filter((request) => request.path === '/nodes/pve1/lxc').pop()!;
		assert.equal(created.params['ssh-public-keys'], `${ED25519}\n${RSA}`);
		await client.waitForTask(upid);
		await client.waitForTask(await client.containerPower('pve1', vmid, 'start'));
		await assert.rejects(
			client.containerPower('pve1', vmid, 'start'),
			new RegExp(`CT ${vmid} already running`),
		);
		const interfaces = await client.containerInterfaces('pve1', vmid);
		assert.equal(interfaces.find((entry) => entry.name === 'eth0')?.inet, '10.0.0.7/24');
		await client.waitForTask(await client.createSnapshot('pve1', vmid, 'ct-snap', { kind: 'lxc' }));
		assert.deepEqual(
			(await client.snapshots('pve1', vmid, 'lxc')).map((snapshot) => snapshot.name),
			['ct-snap', 'current'],
		);
		const rollback = await client.waitForTask(
			await client.rollbackSnapshot('pve1', vmid, 'ct-snap', { kind: 'lxc' }),
		);
		assert.equal(rollback.type, 'vzrollback');
		assert.equal((await client.containerStatus('pve1', vmid)).status, 'stopped');
		const cloneId = await client.nextId();
		const cloneUpid = await client.cloneContainer('pve1', vmid, {
			newid: cloneId,
			hostname: 'ct-web-2',
			full: true,
		});
		await assert.rejects(
			client.updateContainerConfig('pve1', cloneId, { cores: 2 }),
			new RegExp(`CT ${cloneId} is locked \\(create\\)`),
		);
		await client.waitForTask(cloneUpid);
		await client.updateContainerConfig('pve1', cloneId, { cores: 2 });
		assert.equal((await client.containerConfig('pve1', cloneId)).cores, '2');
		await assert.rejects(
			client.containerConfig('pve1', 100),
			/Configuration file 'nodes\/pve1\/lxc\/100.conf' does not exist/,
		);
		await client.waitForTask(await client.deleteContainer('pve1', cloneId, { purge: true }));
		assert.equal(sim.vms.has(cloneId), false);
		await assert.rejects(
			client.createContainer('pve1', { vmid: 150, ostemplate: '', hostname: 'x' }),
			/ostemplate is empty/,
		);
	});

	it('runs vzdump and lists the backup in the storage content', async () => {
		const before = sim.counters.vzdump;
		const result = await client.waitForTask(
			await client.vzdump('pve1', { vmid: '100', storage: 'local', mode: 'snapshot', compress: 'zstd' }),
		);
		assert.equal(result.type, 'vzdump');
		assert.equal(sim.counters.vzdump, before + 1);
		const backups = await client.storageContent('pve1', 'local', { content: 'backup', vmid: 100 });
		assert.equal(backups.length, 1);
		assert.match(
			backups[0].volid,
			/^local:backup\/vzdump-qemu-100-\d{4}_\d\d_\d\d-\d\d_\d\d_\d\d\.vma\.zst$/,
		);
		// vzdump --all backs up every guest of the node but no template; the clone that failed earlier is still
		// locked, so (like Proxmox) the job ends with "job errors" and says why in its log.
		const allUpid = await client.vzdump('pve1', { all: true, storage: 'local' });
		await assert.rejects(
			client.waitForTask(allUpid),
			(error: ProxmoxTaskError) => error.exitstatus === 'job errors',
		);
		const allLog = (await client.taskLog(allUpid, { limit: 500 })).map((line) => line.t);
		assert.ok(allLog.some((line) => /^ERROR: Backup of VM \d+ failed - VM is locked \(clone\)$/.test(line)));
		assert.ok(allLog.includes('INFO: Starting Backup of VM 200 (lxc)'));
		assert.equal(
			allLog.some((line) => line.includes('9000')),
			false,
		);
		const allRequest = sim.requests.filter((request) => request.path === '/nodes/pve1/vzdump').pop()!;
		assert.deepEqual(allRequest.params, { storage: 'local', all: '1' });
		await assert.rejects(
			client.vzdump('pve1', { vmid: '100', storage: 'local-lvm' }),
			/storage 'local-lvm' does not support backups/,
		);
	});
});

describe('Proxmox input checks', () => {
	it('VMIDs are whole numbers from 100 to 999999999', () => {
		assert.equal(assertVmid('100'), 100);
		assert.equal(assertVmid(999999999), 999999999);
		assert.throws(() => assertVmid(99), /vmid 99 is out of range: Proxmox VM IDs go from 100 to 999999999/);
		assert.throws(() => assertVmid(1000000000), /out of range/);
		assert.throws(() => assertVmid('12a'), /vmid "12a" is not a VM ID/);
		assert.throws(() => assertVmid(''), ProxmoxInputError);
	});
	it('node names must not be empty', () => {
		assert.throws(() => assertNodeName('  '), /node is empty: name the Proxmox node/);
		assert.throws(() => assertNodeName('pve 1'), /"pve 1" is not a valid Proxmox node name/);
		assert.equal(assertNodeName(' pve1 '), 'pve1');
	});
	it('token ids look like USER@REALM!TOKEN', () => {
		assert.deepEqual(parseTokenId('PVEAPIToken=root@pam!n8n'), {
			user: 'root',
			realm: 'pam',
			tokenName: 'n8n',
			full: 'root@pam!n8n',
		});
		assert.throws(
			() => parseTokenId('root@pam'),
			/Token ID "root@pam" is not in the form USER@REALM!TOKENNAME/,
		);
		assert.throws(() => parseTokenId('root!n8n'), ProxmoxInputError);
		assert.throws(
			() =>
				new ProxmoxClient({
					baseUrl: 'https://pve:8006',
					auth: { type: 'token', tokenId: 'root@pam!n8n', secret: 'hunter2' },
				}),
			/token secret is not a UUID/,
		);
		assert.throws(
			() =>
				new ProxmoxClient({
					baseUrl: 'pve:8006',
					auth: { type: 'token', tokenId: 'root@pam!n8n', secret: '0b5c1d2e-0000-4000-8000-000000000000' },
				}),
			/not an http\(s\) URL|is not a URL/,
		);
	});
	it('SSH keys must be OpenSSH public keys', () => {
		assert.deepEqual(parseSshKeys(`# mine\n${ED25519}\n`), [ED25519]);
		assert.throws(
			() => parseSshKeys('-----BEGIN OPENSSH PRIVATE KEY-----'),
			/SSH key 1 \("-----BEGIN OPENSSH PRIVATE KEY-----"\) is not an OpenSSH public key/,
		);
		assert.throws(() => parseSshKeys(`${ED25519}\nssh-ed25519 short`), /SSH key 2/);
		assert.throws(() => parseSshKeys('\n\n'), /No SSH public key given/);
	});
	it('snapshot names, ipconfig and UPIDs', () => {
		assert.throws(() => assertSnapshotName('before upgrade'), /Snapshot name "before upgrade" is not valid/);
		assert.equal(assertIpConfig('ip=dhcp'), 'ip=dhcp');
		assert.equal(
			assertIpConfig('ip=10.0.0.5/24,gw=10.0.0.1,ip6=auto'),
			'ip=10.0.0.5/24,gw=10.0.0.1,ip6=auto',
		);
		assert.throws(() => assertIpConfig('10.0.0.5'), /ipconfig0 "10.0.0.5" is not valid/);
		assert.deepEqual(parseUpid('UPID:pve1:00000FA0:000F4FA0:6740A1B2:qmclone:9000:root@pam!n8n:'), {
			node: 'pve1',
			pid: 4000,
			pstart: 1003424,
			starttime: 0x6740a1b2,
			type: 'qmclone',
			id: '9000',
			user: 'root@pam!n8n',
		});
		assert.throws(() => parseUpid('not-a-upid'), /is not a Proxmox task id/);
	});
});
