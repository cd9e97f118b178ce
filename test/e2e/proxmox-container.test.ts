import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { outputOf, type N8n, type WorkflowNode } from '../harness/n8n';
import { sharedN8n } from '../helpers/shared-n8n';
import { linearWorkflow } from '../helpers/workflows';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../simulators/proxmox/server';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGv0TQzDqLrz4HhW7u8nN1vJ0q4bZp6r8b3XbWk0yF2k ops@laptop';
const TEMPLATE = 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst';
const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const fast = { pollInterval: 100 };

describe('Proxmox VE node: LXC containers inside real n8n', () => {
	let n8n: N8n;
	let sim: ProxmoxSimulator;
	let credential: { id: string; name: string };
	before(async () => {
		n8n = await sharedN8n();
		sim = await startProxmoxSimulator({ taskMs: 150, cloneMs: 400 });
		credential = {
			name: 'PVE containers',
			id: await n8n.createCredential('PVE containers', 'proxmoxVeApi', {
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
		parameters: { node: rl('name', 'pve1'), ...parameters },
		credentials: { proxmoxVeApi: credential },
		...extra,
	});
	const ct = (expression: string) => ({ vmid: rl('id', expression) });

	it('create -> start -> IP -> snapshot -> rollback -> clone -> config -> delete', async () => {
		const result = await n8n.runWorkflow(
			await n8n.importWorkflow(
				linearWorkflow('pve: container lifecycle', [
					pve('Create', {
						resource: 'container',
						operation: 'create',
						ostemplate: TEMPLATE,
						hostname: 'ct-web',
						ctVmid: 0,
						createOptions: {
							net0: 'name=eth0,bridge=vmbr0,ip=10.0.0.7/24,gw=10.0.0.1',
							sshPublicKeys: KEY,
							memory: 1024,
						},
						taskOptions: fast,
					}),
					pve('Start', {
						resource: 'container',
						operation: 'start',
						...ct("={{ $('Create').item.json.vmid }}"),
						taskOptions: fast,
					}),
					pve('IP', {
						resource: 'container',
						operation: 'getIp',
						...ct("={{ $('Create').item.json.vmid }}"),
						ctIpTimeout: 10,
					}),
					pve('Snapshot', {
						resource: 'snapshot',
						operation: 'create',
						guestType: 'lxc',
						...ct("={{ $('Create').item.json.vmid }}"),
						snapshotName: 'fresh',
						taskOptions: fast,
					}),
					pve('Rollback', {
						resource: 'snapshot',
						operation: 'rollback',
						guestType: 'lxc',
						...ct("={{ $('Create').item.json.vmid }}"),
						snapname: rl('list', 'fresh'),
						taskOptions: fast,
					}),
					pve('Clone', {
						resource: 'container',
						operation: 'clone',
						...ct("={{ $('Create').item.json.vmid }}"),
						ctNewid: 0,
						ctHostname: 'ct-web-2',
						ctFull: true,
						taskOptions: fast,
					}),
					pve('Config', {
						resource: 'container',
						operation: 'updateConfig',
						...ct('={{ $json.vmid }}'),
						ctUpdateFields: { cores: 2, tags: 'web' },
					}),
					pve('Get', { resource: 'container', operation: 'get', ...ct("={{ $('Clone').item.json.vmid }}") }),
					pve('Delete', {
						resource: 'container',
						operation: 'delete',
						...ct("={{ $('Clone').item.json.vmid }}"),
						ctForce: true,
						taskOptions: fast,
					}),
				]),
			),
			'Manual Trigger',
			90000,
		);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const created = outputOf(result, 'Create')[0].json;
		assert.equal(created.vmid, 102);
		assert.equal((created.task as { type: string }).type, 'vzcreate');
		const createRequest = sim.requests.find((request) => request.path === '/nodes/pve1/lxc')!;
		assert.equal(createRequest.params['ssh-public-keys'], KEY);
		assert.equal(createRequest.params.rootfs, 'local-lvm:8');
		assert.equal(outputOf(result, 'Start')[0].json.status, 'running');
		assert.equal(outputOf(result, 'IP')[0].json.ip, '10.0.0.7');
		assert.equal(outputOf(result, 'Rollback')[0].json.status, 'stopped');
		assert.equal(outputOf(result, 'Clone')[0].json.vmid, 103);
		assert.deepEqual(outputOf(result, 'Config')[0].json.changed, ['cores', 'tags']);
		const got = outputOf(result, 'Get')[0].json;
		assert.deepEqual([got.hostname, (got.config as { cores: string }).cores], ['ct-web-2', '2']);
		assert.equal(sim.vms.has(103), false);
		assert.equal(sim.vms.get(102)?.kind, 'lxc');
	});

	it('backs up every guest of the node (VMs and containers) and returns the new archives', async () => {
		const result = await n8n.runWorkflow(
			await n8n.importWorkflow(
				linearWorkflow('pve: backup all', [
					pve('Backup', {
						resource: 'backup',
						operation: 'run',
						storage: rl('name', 'local'),
						allGuests: true,
						compress: 'zstd',
						taskOptions: fast,
					}),
				]),
			),
		);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const backup = outputOf(result, 'Backup')[0].json;
		assert.equal(backup.vmid, 'all');
		assert.deepEqual(
			(backup.backups as Array<{ vmid: number; subtype: string }>).map((entry) => [
				entry.vmid,
				entry.subtype,
			]),
			[
				[100, 'qemu'],
				[102, 'lxc'],
				[200, 'lxc'],
			],
		);
	});

	it('lists containers and reboots, shuts down, starts and stops one', async () => {
		const pihole = ct('200');
		const result = await n8n.runWorkflow(
			await n8n.importWorkflow(
				linearWorkflow('pve: container power', [
					pve('List', { resource: 'container', operation: 'list' }),
					pve(
						'Reboot',
						{ resource: 'container', operation: 'reboot', ...pihole, taskOptions: fast },
						{ executeOnce: true },
					),
					pve('Shutdown', { resource: 'container', operation: 'shutdown', ...pihole, taskOptions: fast }),
					// pve-container refuses to stop a stopped CT ("CT 200 not running", before its task), so start it
					pve('Start', { resource: 'container', operation: 'start', ...pihole, taskOptions: fast }),
					pve('Stop', { resource: 'container', operation: 'stop', ...pihole, taskOptions: fast }),
				]),
			),
		);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assert.deepEqual(
			outputOf(result, 'List').map((item) => [item.json.vmid, item.json.name]),
			[
				[102, 'ct-web'],
				[200, 'pihole'],
			],
		);
		assert.deepEqual(
			['Reboot', 'Shutdown', 'Start', 'Stop'].map((name) => outputOf(result, name)[0].json.status),
			['running', 'stopped', 'running', 'stopped'],
		);
		assert.deepEqual(
			sim.requests
				.filter(
					(request) => request.method === 'POST' && request.path.startsWith('/nodes/pve1/lxc/200/status/'),
				)
				.map((r) => r.path.split('/').pop()),
			['reboot', 'shutdown', 'start', 'stop'],
		);
	});

	it('reports a missing container template and an unknown container clearly', async () => {
		const result = await n8n.runWorkflow(
			await n8n.importWorkflow(
				linearWorkflow('pve: container errors', [
					pve(
						'Create',
						{
							resource: 'container',
							operation: 'create',
							ostemplate: 'local:vztmpl/nope.tar.zst',
							hostname: 'x',
							ctVmid: 0,
						},
						{ onError: 'continueRegularOutput' },
					),
					pve(
						'Get',
						{ resource: 'container', operation: 'get', ...ct('100') },
						{ onError: 'continueRegularOutput' },
					),
				]),
			),
		);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assert.equal(
			outputOf(result, 'Create')[0].json.error,
			"Proxmox VE: volume 'local:vztmpl/nope.tar.zst' does not exist",
		);
		assert.equal(
			outputOf(result, 'Get')[0].json.error,
			"Proxmox VE: Configuration file 'nodes/pve1/lxc/100.conf' does not exist",
		);
	});
});
