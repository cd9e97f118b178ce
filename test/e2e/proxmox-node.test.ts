import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { outputOf, type N8n, type WorkflowNode } from '../harness/n8n';
import { sharedN8n } from '../helpers/shared-n8n';
import { itemsNode, linearWorkflow } from '../helpers/workflows';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../simulators/proxmox/server';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGv0TQzDqLrz4HhW7u8nN1vJ0q4bZp6r8b3XbWk0yF2k ops@laptop';
const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const fast = { pollInterval: 100 };

describe('Proxmox VE node inside real n8n against the simulator', () => {
	let n8n: N8n;
	let sim: ProxmoxSimulator;
	let credentials: Record<string, { id: string; name: string }>;

	before(async () => {
		n8n = await sharedN8n();
		sim = await startProxmoxSimulator({ taskMs: 200, cloneMs: 800, vzdumpMs: 400, bootMs: 1500 });
		const create = async (name: string, data: Record<string, unknown>) => ({
			id: await n8n.createCredential(name, 'proxmoxVeApi', {
				baseUrl: sim.url,
				allowSelfSigned: true,
				...data,
			}),
			name,
		});
		credentials = {
			admin: await create('PVE admin token', {
				authType: 'token',
				tokenId: sim.tokens.admin.id,
				tokenSecret: sim.tokens.admin.secret,
			}),
			privsep: await create('PVE privsep token', {
				authType: 'token',
				tokenId: sim.tokens.noPrivileges.id,
				tokenSecret: sim.tokens.noPrivileges.secret,
			}),
			badFormat: await create('PVE bad token id', {
				authType: 'token',
				tokenId: 'root@pam',
				tokenSecret: sim.tokens.admin.secret,
			}),
			password: await create('PVE password', {
				authType: 'password',
				username: 'root@pam',
				password: 'Homelab-Root-1',
			}),
		};
	});
	after(async () => await sim.stop());

	const pve = (
		name: string,
		parameters: Record<string, unknown>,
		credential = 'admin',
		extra: Record<string, unknown> = {},
	): WorkflowNode => ({
		name,
		type: 'n8n-nodes-homelab.proxmoxVe',
		typeVersion: 1,
		parameters,
		credentials: { proxmoxVeApi: credentials[credential] },
		...extra,
	});

	const run = async (name: string, nodes: WorkflowNode[]) =>
		await n8n.runWorkflow(await n8n.importWorkflow(linearWorkflow(name, nodes)), 'Manual Trigger', 90000);

	it('clone template -> cloud-init -> start -> wait for the guest agent IP', async () => {
		const result = await run('pve: provision', [
			pve('Clone', {
				resource: 'vm',
				operation: 'clone',
				node: rl('list', 'pve1'),
				sourceVmid: rl('list', '9000'),
				newid: 0,
				name: 'web-01',
				full: 'full',
				taskOptions: fast,
			}),
			pve('Cloud-Init', {
				resource: 'vm',
				operation: 'setCloudInit',
				node: rl('name', '={{ $json.node }}'),
				vmid: rl('id', '={{ $json.vmid }}'),
				cloudInit: { ciuser: 'ops', sshkeys: `${KEY}\n`, ipconfig0: 'ip=192.168.1.50/24,gw=192.168.1.1' },
				taskOptions: fast,
			}),
			pve('Start', {
				resource: 'vm',
				operation: 'start',
				node: rl('name', 'pve1'),
				vmid: rl('id', "={{ $('Clone').item.json.vmid }}"),
				taskOptions: fast,
			}),
			pve('Wait IP', {
				resource: 'vm',
				operation: 'waitForIp',
				node: rl('name', 'pve1'),
				vmid: rl('id', "={{ $('Clone').item.json.vmid }}"),
				ipTimeout: 30,
				ipPollInterval: 100,
			}),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const [clone] = outputOf(result, 'Clone').map((item) => item.json);
		assert.equal(clone.vmid, 102);
		assert.equal(clone.waited, true);
		assert.equal((clone.task as { exitstatus: string }).exitstatus, 'OK');
		assert.match(
			String(clone.upid),
			/^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmclone:9000:root@pam!n8n:$/,
		);
		assert.equal(sim.counters.clone, 1);
		const [cloudInit] = outputOf(result, 'Cloud-Init').map((item) => item.json);
		assert.deepEqual((cloudInit.changed as string[]).sort(), ['ciuser', 'ipconfig0', 'sshkeys']);
		const vm = sim.vms.get(102)!;
		assert.equal(vm.config.name, 'web-01');
		assert.equal(decodeURIComponent(String(vm.config.sshkeys)), `${KEY}\n`);
		assert.equal(outputOf(result, 'Start')[0].json.status, 'running');
		const [ip] = outputOf(result, 'Wait IP').map((item) => item.json);
		assert.equal(ip.ip, '192.168.1.50');
		assert.ok(Number(ip.waitedMs) >= 500, `waited ${String(ip.waitedMs)} ms for the agent to boot`);
	});

	it('snapshot -> change -> rollback restores the config', async () => {
		const target = { node: rl('name', 'pve1'), vmid: rl('id', '100') };
		const result = await run('pve: snapshot rollback', [
			pve('Snapshot', {
				resource: 'snapshot',
				operation: 'create',
				...target,
				snapshotName: 'before-change',
				snapshotDescription: 'known good',
				taskOptions: fast,
			}),
			pve('Change', {
				resource: 'vm',
				operation: 'updateConfig',
				...target,
				updateFields: { cores: 6, tags: 'changed' },
				taskOptions: fast,
			}),
			pve('Snapshots', { resource: 'snapshot', operation: 'list', ...target }, 'admin', {
				executeOnce: true,
			}),
			pve(
				'Rollback',
				{
					resource: 'snapshot',
					operation: 'rollback',
					...target,
					snapname: rl('list', 'before-change'),
					taskOptions: fast,
				},
				'admin',
				{ executeOnce: true },
			),
			pve('Get', { resource: 'vm', operation: 'get', ...target }),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assert.equal(outputOf(result, 'Change')[0].json.waited, true);
		const snapshots = outputOf(result, 'Snapshots').map((item) => item.json);
		assert.deepEqual(
			snapshots.map((snapshot) => [snapshot.name, snapshot.description]),
			[['before-change', 'known good']],
		);
		assert.equal(outputOf(result, 'Rollback')[0].json.status, 'stopped');
		const config = outputOf(result, 'Get')[0].json.config as Record<string, unknown>;
		assert.equal(config.cores, 2);
		assert.equal(config.tags, undefined);
	});

	it('vzdump -> list backups shows the new archive', async () => {
		const result = await run('pve: backup', [
			pve('Backup', {
				resource: 'backup',
				operation: 'run',
				node: rl('name', 'pve1'),
				storage: rl('list', 'local'),
				vmids: '100',
				mode: 'snapshot',
				compress: 'zstd',
				taskOptions: fast,
			}),
			pve('Backups', {
				resource: 'backup',
				operation: 'list',
				node: rl('name', 'pve1'),
				storage: rl('name', 'local'),
				backupVmid: '100',
			}),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assert.equal(sim.counters.vzdump, 1);
		const [backup] = outputOf(result, 'Backup').map((item) => item.json);
		assert.equal((backup.task as { type: string }).type, 'vzdump');
		const written = (backup.backups as Array<{ volid: string }>)[0].volid;
		assert.match(written, /^local:backup\/vzdump-qemu-100-\d{4}_\d\d_\d\d-\d\d_\d\d_\d\d\.vma\.zst$/);
		const listed = outputOf(result, 'Backups').map((item) => item.json);
		assert.deepEqual(
			listed.map((entry) => entry.volid),
			[written],
		);
		assert.equal(listed[0].notes, 'dns');
	});

	it('cluster and node reads: next free VMID, resources, nodes, storage, a task log (ticket login)', async () => {
		const result = await run('pve: reads', [
			pve('Next ID', { resource: 'cluster', operation: 'getNextId' }, 'password'),
			pve(
				'Templates',
				{ resource: 'cluster', operation: 'getResources', resourceType: 'vm', templates: 'only' },
				'password',
			),
			pve('Nodes', { resource: 'node', operation: 'list' }, 'password', { executeOnce: true }),
			pve(
				'Storage',
				{ resource: 'node', operation: 'listStorage', node: rl('name', 'pve2'), content: 'backup' },
				'password',
				{
					executeOnce: true,
				},
			),
			pve('Tasks', { resource: 'cluster', operation: 'listTasks' }, 'password', { executeOnce: true }),
			pve(
				'Task Log',
				{ resource: 'cluster', operation: 'getTaskLog', upid: '={{ $json.upid }}', limit: 50 },
				'password',
				{
					executeOnce: true,
				},
			),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assert.equal(outputOf(result, 'Next ID')[0].json.vmid, 103);
		assert.deepEqual(
			outputOf(result, 'Templates').map((item) => item.json.vmid),
			[9000],
		);
		assert.deepEqual(
			outputOf(result, 'Nodes').map((item) => item.json.node),
			['pve1', 'pve2', 'pve3'],
		);
		assert.deepEqual(
			outputOf(result, 'Storage').map((item) => item.json.storage),
			['local'],
		);
		const log = outputOf(result, 'Task Log')[0].json;
		assert.ok((log.lines as string[]).includes('TASK OK'), String(log.text));
	});

	it('more reads: VM list, cluster status, node status, a task status', async () => {
		const result = await run('pve: reads 2', [
			pve('VMs', { resource: 'vm', operation: 'list', node: rl('name', 'pve1'), includeTemplates: true }),
			pve('Cluster', { resource: 'cluster', operation: 'getStatus' }, 'admin', { executeOnce: true }),
			pve('Node', { resource: 'node', operation: 'getStatus', node: rl('list', 'pve2') }, 'admin', {
				executeOnce: true,
			}),
			pve('Tasks', { resource: 'cluster', operation: 'listTasks' }, 'admin', { executeOnce: true }),
			pve('Task', { resource: 'cluster', operation: 'getTaskStatus', upid: '={{ $json.upid }}' }, 'admin', {
				executeOnce: true,
			}),
			pve(
				'ISOs',
				{
					resource: 'node',
					operation: 'listStorageContent',
					node: rl('name', 'pve1'),
					storage: rl('list', 'local'),
					content: 'iso',
				},
				'admin',
				{ executeOnce: true },
			),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assert.deepEqual(
			outputOf(result, 'VMs').map((item) => [item.json.vmid, item.json.template]),
			[
				[100, 0],
				[102, 0],
				[9000, 1],
			],
		);
		assert.deepEqual(
			outputOf(result, 'Cluster').map((item) => item.json.name),
			['homelab', 'pve1', 'pve2', 'pve3'],
		);
		assert.equal(outputOf(result, 'Node')[0].json.node, 'pve2');
		assert.match(String(outputOf(result, 'Node')[0].json.pveversion), /^pve-manager\/8/);
		assert.deepEqual(
			outputOf(result, 'ISOs').map((item) => item.json.volid),
			['local:iso/ubuntu-24.04-live-server-amd64.iso'],
		);
		const task = outputOf(result, 'Task')[0].json;
		assert.deepEqual([task.status, task.exitstatus], ['stopped', 'OK']);
	});

	it('start, reboot, shutdown with timeout, resize a disk and delete a VM', async () => {
		const media = { node: rl('name', 'pve2'), vmid: rl('id', '101') };
		const result = await run('pve: power', [
			pve('Start', { resource: 'vm', operation: 'start', ...media, taskOptions: fast }),
			pve('Reboot', { resource: 'vm', operation: 'reboot', ...media, taskOptions: fast }),
			pve('Shutdown', {
				resource: 'vm',
				operation: 'shutdown',
				...media,
				shutdownTimeout: 30,
				forceStop: true,
				taskOptions: fast,
			}),
			pve('Resize', {
				resource: 'vm',
				operation: 'updateConfig',
				...media,
				updateFields: { memory: 4096 },
				resize: { disk: 'scsi0', size: '+10G' },
				taskOptions: fast,
			}),
			pve('Delete', { resource: 'vm', operation: 'delete', ...media, purge: true, taskOptions: fast }),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assert.equal(outputOf(result, 'Reboot')[0].json.status, 'running');
		assert.equal(outputOf(result, 'Shutdown')[0].json.status, 'stopped');
		const shutdown = sim.requests
			.filter((request) => request.path === '/nodes/pve2/qemu/101/status/shutdown')
			.pop();
		assert.deepEqual(shutdown?.params, { timeout: '30', forceStop: '1' });
		assert.deepEqual(outputOf(result, 'Resize')[0].json.resized, { disk: 'scsi0', size: '+10G' });
		assert.equal(outputOf(result, 'Delete')[0].json.deleted, true);
		assert.equal(sim.vms.has(101), false);
	});

	it('rejects bad input item by item with clear messages (continue on fail)', async () => {
		const result = await run('pve: bad input', [
			itemsNode('Inputs', [
				{ node: '', vmid: '100', keys: KEY },
				{ node: 'pve1', vmid: '99', keys: KEY },
				{ node: 'pve1', vmid: '1000000000', keys: KEY },
				{ node: 'pve1', vmid: '100', keys: 'ssh-ed25519 not-base64!' },
				{ node: 'pve1', vmid: '100', keys: KEY },
			]),
			pve(
				'Cloud-Init',
				{
					resource: 'vm',
					operation: 'setCloudInit',
					node: rl('name', '={{ $json.node }}'),
					vmid: rl('id', '={{ $json.vmid }}'),
					cloudInit: { sshkeys: '={{ $json.keys }}' },
					taskOptions: fast,
				},
				'admin',
				{ onError: 'continueRegularOutput' },
			),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const items = outputOf(result, 'Cloud-Init').map((item) => item.json);
		assert.equal(items[0].error, 'node is empty: name the Proxmox node (e.g. pve1)');
		assert.equal(items[1].error, 'vmid 99 is out of range: Proxmox VM IDs go from 100 to 999999999');
		assert.equal(items[2].error, 'vmid 1000000000 is out of range: Proxmox VM IDs go from 100 to 999999999');
		assert.equal(items[3].error, 'SSH key 1 ("ssh-ed25519 not-base64!") is not an OpenSSH public key');
		assert.match(String(items[3].errorDescription), /<type> <base64> \[comment\]/);
		assert.equal(items[4].error, undefined);
		assert.equal(items[4].waited, true);
	});

	it('fails with a NodeOperationError for a malformed token id', async () => {
		const result = await run('pve: bad token id', [
			pve('Nodes', { resource: 'node', operation: 'list' }, 'badFormat'),
		]);
		assert.equal(result.status, 'error');
		assert.equal(result.error?.message, 'Token ID "root@pam" is not in the form USER@REALM!TOKENNAME');
		assert.match(String(result.error?.description), /API Tokens/);
	});

	it('a privilege-separated token gets a 403 naming the privilege and the fix', async () => {
		const result = await run('pve: privsep', [
			pve(
				'Clone',
				{
					resource: 'vm',
					operation: 'clone',
					node: rl('name', 'pve1'),
					sourceVmid: rl('id', '9000'),
					newid: 555,
					full: 'full',
				},
				'privsep',
			),
		]);
		assert.equal(result.status, 'error');
		assert.equal(result.error?.message, 'Proxmox VE: Permission check failed (/vms/9000, VM.Clone)');
		assert.match(
			String(result.error?.description),
			/root@pam!privsep lacks the privilege VM\.Clone on \/vms\/9000/,
		);
		assert.match(String(result.error?.description), /Privilege Separation/);
		assert.equal(sim.vms.has(555), false);
	});

	it('a failing task fails the node with its exit status; a second start is rejected', async () => {
		const result = await run('pve: second start', [
			pve('Start', {
				resource: 'vm',
				operation: 'start',
				node: rl('name', 'pve1'),
				vmid: rl('id', '102'),
				taskOptions: fast,
			}),
		]);
		assert.equal(result.status, 'error');
		assert.equal(result.error?.message, 'Task qmstart 102 on pve1 failed: VM 102 already running');
		assert.match(String(result.error?.description), /TASK ERROR: VM 102 already running/);
	});

	it('starting a template: Proxmox accepts it, the task fails; the node says why and what to do', async () => {
		const result = await run('pve: start template', [
			pve('Start', {
				resource: 'vm',
				operation: 'start',
				node: rl('name', 'pve1'),
				vmid: rl('id', '9000'),
				taskOptions: fast,
			}),
		]);
		assert.equal(result.status, 'error');
		assert.equal(
			result.error?.message,
			"Task qmstart 9000 on pve1 failed: you can't start a vm if it's a template",
		);
		const description = String(result.error?.description);
		assert.match(description, /^A template cannot run: clone it/);
		assert.match(description, /TASK ERROR: you can't start a vm if it's a template\n\nTask: UPID:pve1:/);
	});

	it('without waiting, returns the UPID at once and the clone is still locked', async () => {
		const result = await run('pve: no wait', [
			pve('Clone', {
				resource: 'vm',
				operation: 'clone',
				node: rl('name', 'pve1'),
				sourceVmid: rl('id', '9000'),
				newid: 300,
				full: 'linked',
				waitForCompletion: false,
			}),
			pve(
				'Configure',
				{
					resource: 'vm',
					operation: 'updateConfig',
					node: rl('name', 'pve1'),
					vmid: rl('id', '300'),
					updateFields: { cores: 4 },
				},
				'admin',
				{ onError: 'continueRegularOutput' },
			),
			pve('Wait', {
				resource: 'cluster',
				operation: 'waitForTask',
				upid: "={{ $('Clone').item.json.upid }}",
				taskOptions: fast,
			}),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assert.equal(outputOf(result, 'Clone')[0].json.waited, false);
		assert.equal(outputOf(result, 'Configure')[0].json.error, 'Proxmox VE: VM 300 is locked (clone)');
		assert.equal((outputOf(result, 'Wait')[0].json.task as { exitstatus: string }).exitstatus, 'OK');
	});

	it('credential test tells a wrong secret (401) from a token without privileges (403)', async () => {
		const test = async (data: Record<string, unknown>) =>
			(
				await n8n.rest<{ data: { status: string; message: string } }>('POST', '/credentials/test', {
					credentials: {
						id: '',
						name: 'test',
						type: 'proxmoxVeApi',
						data: { baseUrl: sim.url, allowSelfSigned: true, ...data },
					},
				})
			).data;
		const ok = await test({
			authType: 'token',
			tokenId: sim.tokens.admin.id,
			tokenSecret: sim.tokens.admin.secret,
		});
		assert.deepEqual(ok, { status: 'OK', message: 'Connected to Proxmox VE 8.4.1 as root@pam!n8n' });
		const wrong = await test({
			authType: 'token',
			tokenId: sim.tokens.admin.id,
			tokenSecret: '00000000-0000-0000-0000-000000000000',
		});
		assert.equal(wrong.status, 'Error');
		assert.match(wrong.message, /^Authentication failed \(401 invalid token value!\)/);
		const privsep = await test({
			authType: 'token',
			tokenId: sim.tokens.noPrivileges.id,
			tokenSecret: sim.tokens.noPrivileges.secret,
		});
		assert.equal(privsep.status, 'Error');
		assert.match(privsep.message, /403 Permission check failed \(\/nodes\/pve1, Sys\.Audit\)/);
		assert.match(privsep.message, /Privilege Separation/);
		const password = await test({ authType: 'password', username: 'root@pam', password: 'Homelab-Root-1' });
		assert.deepEqual(password, { status: 'OK', message: 'Connected to Proxmox VE 8.4.1 as root@pam' });
		const badPassword = await test({ authType: 'password', username: 'root', password: 'nope' });
		assert.match(badPassword.message, /^Authentication failed \(401 authentication failure\)/);
		const badFormat = await test({
			authType: 'token',
			tokenId: 'root@pam',
			tokenSecret: sim.tokens.admin.secret,
		});
		assert.match(badFormat.message, /^Token ID "root@pam" is not in the form USER@REALM!TOKENNAME/);
		const selfSigned = await test({
			authType: 'token',
			tokenId: sim.tokens.admin.id,
			tokenSecret: sim.tokens.admin.secret,
			allowSelfSigned: false,
		});
		assert.match(selfSigned.message, /does not verify \(self-signed\).*Allow Self-Signed Certificate/);
	});

	it('ensure from template creates the VM once and finds it on the next run', async () => {
		const ensure = pve('Ensure', {
			resource: 'vm',
			operation: 'ensureFromTemplate',
			node: rl('name', 'pve1'),
			sourceVmid: rl('id', '9000'),
			name: 'app-01',
			newid: 0,
			full: 'full',
			cloudInit: { ciuser: 'app', ipconfig0: 'ip=192.168.1.60/24,gw=192.168.1.1' },
			startVm: true,
			waitForIpAfter: true,
			ipTimeout: 30,
			ipPollInterval: 100,
			taskOptions: fast,
		});
		const clonesBefore = sim.counters.clone;
		const first = await run('pve: ensure (1)', [ensure]);
		assert.equal(first.status, 'success', JSON.stringify(first.error));
		const created = outputOf(first, 'Ensure')[0].json;
		assert.equal(created.created, true);
		assert.deepEqual(created.steps, ['cloned', 'configured', 'started']);
		assert.equal(created.ip, '192.168.1.60');
		assert.equal(sim.counters.clone, clonesBefore + 1);
		const second = await run('pve: ensure (2)', [ensure]);
		assert.equal(second.status, 'success', JSON.stringify(second.error));
		const found = outputOf(second, 'Ensure')[0].json;
		assert.deepEqual(
			[found.created, found.vmid, found.steps, found.status, found.ip],
			[false, created.vmid, ['found'], 'running', '192.168.1.60'],
		);
		assert.equal(sim.counters.clone, clonesBefore + 1);
	});

	it('suspend, resume, migrate, stop, convert to template; restore a backup', async () => {
		const web = { vmid: rl('id', '102') };
		const result = await run('pve: lifecycle', [
			pve('Suspend', {
				resource: 'vm',
				operation: 'suspend',
				node: rl('name', 'pve1'),
				...web,
				taskOptions: fast,
			}),
			pve('Resume', {
				resource: 'vm',
				operation: 'resume',
				node: rl('name', 'pve1'),
				...web,
				taskOptions: fast,
			}),
			pve('Migrate', {
				resource: 'vm',
				operation: 'migrate',
				node: rl('name', 'pve1'),
				...web,
				migrateTarget: rl('list', 'pve2'),
				online: true,
				withLocalDisks: true,
				taskOptions: fast,
			}),
			pve('Stop', {
				resource: 'vm',
				operation: 'stop',
				node: rl('name', '={{ $json.node }}'),
				...web,
				taskOptions: fast,
			}),
			pve('Template', {
				resource: 'vm',
				operation: 'convertToTemplate',
				node: rl('name', 'pve2'),
				...web,
				taskOptions: fast,
			}),
			pve('Backups', {
				resource: 'backup',
				operation: 'list',
				node: rl('name', 'pve1'),
				storage: rl('name', 'local'),
				backupVmid: '100',
			}),
			pve('Restore', {
				resource: 'backup',
				operation: 'restore',
				node: rl('name', 'pve1'),
				archive: '={{ $json.volid }}',
				restoreVmid: '400',
				taskOptions: fast,
			}),
			pve(
				'Restore Over',
				{
					resource: 'backup',
					operation: 'restore',
					node: rl('name', 'pve1'),
					archive: "={{ $('Backups').item.json.volid }}",
					restoreVmid: '100',
					taskOptions: fast,
				},
				'admin',
				{ onError: 'continueRegularOutput' },
			),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assert.equal(outputOf(result, 'Suspend')[0].json.qmpstatus, 'paused');
		assert.equal(outputOf(result, 'Resume')[0].json.qmpstatus, 'running');
		assert.deepEqual(
			[outputOf(result, 'Migrate')[0].json.from, outputOf(result, 'Migrate')[0].json.node],
			['pve1', 'pve2'],
		);
		assert.equal(outputOf(result, 'Stop')[0].json.status, 'stopped');
		assert.equal(sim.vms.get(102)?.node, 'pve2');
		assert.equal(sim.vms.get(102)?.template, true);
		assert.equal((outputOf(result, 'Restore')[0].json.task as { type: string }).type, 'qmrestore');
		assert.equal(sim.vms.get(400)?.config.name, 'dns');
		assert.equal(
			outputOf(result, 'Restore Over')[0].json.error,
			"Proxmox VE: unable to restore VM 100 - VM 100 already exists on node 'pve1'",
		);
		assert.equal(sim.counters.restore, 1);
	});

	it('fills the dropdowns (listSearch) for nodes, templates, VMs, storages and snapshots', async () => {
		const search = async (methodName: string, parameters: Record<string, unknown> = {}, filter?: string) =>
			(
				await n8n.rest<{ data: { results: Array<{ name: string; value: string }> } }>(
					'POST',
					'/dynamic-node-parameters/resource-locator-results',
					{
						path: 'parameters.node',
						nodeTypeAndVersion: { name: 'n8n-nodes-homelab.proxmoxVe', version: 1 },
						methodName,
						filter,
						currentNodeParameters: { resource: 'vm', operation: 'clone', ...parameters },
						credentials: { proxmoxVeApi: credentials.admin },
					},
				)
			).data.results;
		assert.deepEqual(
			(await search('searchNodes')).map((entry) => entry.value),
			['pve1', 'pve2', 'pve3'],
		);
		const onPve1 = { node: rl('list', 'pve1') };
		assert.deepEqual(await search('searchTemplates', onPve1), [
			{ name: '9000 · ubuntu-2404-cloud', value: '9000' },
		]);
		const app = [...sim.vms.values()].find((vm) => vm.config.name === 'app-01')!;
		assert.deepEqual(await search('searchVms', onPve1, 'app'), [
			{ name: `${app.vmid} · app-01 (running)`, value: String(app.vmid) },
		]);
		assert.deepEqual(await search('searchTemplates', { node: rl('list', 'pve2') }), [
			{ name: '102 · web-01', value: '102' },
		]);
		assert.deepEqual(
			(await search('searchStorages', onPve1)).map((entry) => entry.value),
			['local', 'local-lvm'],
		);
		sim.vms.get(100)!.snapshots.set('nightly', {
			name: 'nightly',
			description: 'cron',
			snaptime: 1,
			vmstate: 0,
			config: {},
			status: 'stopped',
		});
		assert.deepEqual(
			await search('searchSnapshots', {
				...onPve1,
				resource: 'snapshot',
				operation: 'rollback',
				vmid: rl('id', '100'),
			}),
			[
				{ name: 'before-change — known good', value: 'before-change' },
				{ name: 'nightly — cron', value: 'nightly' },
			],
		);
	});

	it('creates an empty VM with an installer ISO and starts it', async () => {
		const result = await run('pve: create vm', [
			pve('Create', {
				resource: 'vm',
				operation: 'create',
				node: rl('name', 'pve3'),
				createVmid: 700,
				vmName: 'nas-01',
				vmCreateOptions: {
					cores: 4,
					memory: 8192,
					diskSize: 64,
					iso: 'local:iso/ubuntu-24.04-live-server-amd64.iso',
					start: true,
				},
				taskOptions: fast,
			}),
			pve('Get', { resource: 'vm', operation: 'get', node: rl('name', 'pve3'), vmid: rl('id', '700') }),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assert.equal((outputOf(result, 'Create')[0].json.task as { type: string }).type, 'qmcreate');
		const vm = outputOf(result, 'Get')[0].json;
		assert.equal(vm.status, 'running');
		const config = vm.config as Record<string, unknown>;
		assert.deepEqual(
			[config.name, config.cores, config.memory, config.scsi0, config.ide2, config.agent],
			[
				'nas-01',
				'4',
				'8192',
				'local-lvm:64',
				'local:iso/ubuntu-24.04-live-server-amd64.iso,media=cdrom',
				'1',
			],
		);
	});

	it('loads with its credential and as an AI tool', async () => {
		const names = (await n8n.nodeTypes()).map((type) => type.name);
		assert.ok(names.includes('n8n-nodes-homelab.proxmoxVe'));
		assert.ok(names.includes('n8n-nodes-homelab.proxmoxVeTool'));
	});
});
