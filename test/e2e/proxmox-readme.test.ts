// The example workflows of README.md's Proxmox VE section, imported as a user would and run against a fresh simulator:
// the documentation cannot drift from what the node accepts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { outputOf, type N8n, type WorkflowJson } from '../harness/n8n';
import { readmeSection } from '../helpers/readme';
import { sharedN8n } from '../helpers/shared-n8n';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../simulators/proxmox/server';

const examples = [...readmeSection('Proxmox VE').matchAll(/```json\n([\s\S]*?)```/g)].map(
	(match) => JSON.parse(match[1]) as WorkflowJson,
);

describe('README example workflows of the Proxmox VE node', () => {
	let n8n: N8n;
	let sim: ProxmoxSimulator;
	let credential: { id: string; name: string };
	before(async () => {
		n8n = await sharedN8n();
		sim = await startProxmoxSimulator({ taskMs: 100, cloneMs: 300, vzdumpMs: 200, bootMs: 300 });
		credential = {
			name: 'PVE readme',
			id: await n8n.createCredential('PVE readme', 'proxmoxVeApi', {
				baseUrl: sim.url,
				authType: 'token',
				tokenId: sim.tokens.admin.id,
				tokenSecret: sim.tokens.admin.secret,
				allowSelfSigned: true,
			}),
		};
	});
	after(async () => await sim.stop());

	const runExample = async (name: string) => {
		const example = examples.find((workflow) => workflow.name === name);
		assert.ok(example, `example "${name}" is in the README`);
		for (const node of example.nodes) {
			if (node.type === 'n8n-nodes-homelab.proxmoxVe') {
				node.credentials = { proxmoxVeApi: credential };
				// Poll the fast simulator often; everything else is as documented.
				node.parameters.taskOptions = { ...(node.parameters.taskOptions as object), pollInterval: 100 };
				if (node.parameters.operation === 'waitForIp') node.parameters.ipPollInterval = 100;
			}
		}
		const result = await n8n.runWorkflow(await n8n.importWorkflow(example), 'Manual Trigger', 90000);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		return result;
	};

	it('has one example per resource', () => {
		assert.deepEqual(
			examples.map((workflow) => workflow.name),
			[
				'Proxmox: provision web-01',
				'Proxmox: guarded upgrade',
				'Proxmox: back up dns',
				'Proxmox: pihole container',
				'Proxmox: clone now, wait later',
				'Proxmox: node inventory',
			],
		);
		const resources = new Set(
			examples.flatMap((workflow) =>
				workflow.nodes
					.filter((node) => node.type === 'n8n-nodes-homelab.proxmoxVe')
					.map((node) => node.parameters.resource),
			),
		);
		assert.deepEqual([...resources].sort(), ['backup', 'cluster', 'container', 'node', 'snapshot', 'vm']);
	});

	it('provision web-01 clones, configures, starts and reports the IP', async () => {
		const result = await runExample('Proxmox: provision web-01');
		assert.equal(outputOf(result, 'Wait for IP')[0].json.ip, '192.168.1.50');
		assert.equal(sim.counters.clone, 1);
	});

	it('guarded upgrade snapshots and rolls back', async () => {
		const result = await runExample('Proxmox: guarded upgrade');
		assert.equal(outputOf(result, 'Rollback')[0].json.status, 'running');
		assert.deepEqual([...sim.vms.get(100)!.snapshots.keys()], ['before-upgrade']);
	});

	it('pihole container is created, started and reports its address', async () => {
		const result = await runExample('Proxmox: pihole container');
		assert.equal(outputOf(result, 'Get IP')[0].json.ip, '192.168.1.53');
		assert.equal(outputOf(result, 'Start')[0].json.status, 'running');
	});

	it('back up dns writes an archive and lists it', async () => {
		const result = await runExample('Proxmox: back up dns');
		assert.equal(sim.counters.vzdump, 1);
		assert.equal(outputOf(result, 'Backups').length, 1);
	});

	it('clone now, wait later: the clone runs unwaited, Wait for Task waits, the log shows it finished', async () => {
		const clonesBefore = sim.counters.clone;
		const result = await runExample('Proxmox: clone now, wait later');
		const nextId = Number(outputOf(result, 'Next ID')[0].json.vmid);
		const clone = outputOf(result, 'Clone')[0].json;
		assert.deepEqual([clone.vmid, clone.waited], [nextId, false]);
		const waited = outputOf(result, 'Wait for Task')[0].json;
		assert.equal((waited.task as { exitstatus: string }).exitstatus, 'OK');
		assert.equal(waited.upid, clone.upid);
		assert.ok((outputOf(result, 'Task Log')[0].json.lines as string[]).includes('TASK OK'));
		assert.equal(sim.counters.clone, clonesBefore + 1);
		assert.equal(sim.vms.get(nextId)?.config.name, 'build-01');
		assert.equal(sim.vms.get(nextId)?.lock, undefined);
	});

	it('node inventory: every node, its status and its ISO images', async () => {
		const result = await runExample('Proxmox: node inventory');
		assert.deepEqual(
			outputOf(result, 'Nodes').map((item) => item.json.node),
			['pve1', 'pve2', 'pve3'],
		);
		assert.deepEqual(
			outputOf(result, 'Status').map((item) => [item.json.node, String(item.json.pveversion).split('/')[0]]),
			[
				['pve1', 'pve-manager'],
				['pve2', 'pve-manager'],
				['pve3', 'pve-manager'],
			],
		);
		assert.deepEqual(
			outputOf(result, 'ISO Images').map((item) => item.json.volid),
			Array(3).fill('local:iso/ubuntu-24.04-live-server-amd64.iso'),
		);
	});
});
