import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { DockerClient } from '../../clients/docker';
import { waitFor } from '../harness/net';
import type { N8n, WorkflowJson } from '../harness/n8n';
import { sharedN8n } from '../helpers/shared-n8n';
import { startDocker, type DockerService } from '../services/docker';

/** A unix-socket proxy in front of dockerd, so a test can cut the trigger's event stream like a network drop. */
function socketProxy(target: string) {
	const socketPath = path.join(mkdtempSync(path.join(os.tmpdir(), 'homelab-docker-proxy-')), 'proxy.sock');
	const open = new Set<net.Socket>();
	const server = net.createServer((client) => {
		const upstream = net.connect(target);
		open.add(client);
		client.pipe(upstream).pipe(client);
		const close = () => {
			open.delete(client);
			client.destroy();
			upstream.destroy();
		};
		client.on('close', close).on('error', close);
		upstream.on('close', close).on('error', close);
	});
	return {
		socketPath,
		open,
		listen: async () => await new Promise<void>((resolve) => server.listen(socketPath, resolve)),
		cutAll: () => [...open].forEach((socket) => socket.destroy()),
		close: async () => {
			[...open].forEach((socket) => socket.destroy());
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

describe('Docker Events Trigger inside real n8n', () => {
	let n8n: N8n;
	let docker: DockerService;
	let client: DockerClient;
	let proxy: ReturnType<typeof socketProxy>;
	let workflowId: string;

	before(async () => {
		[n8n, docker] = await Promise.all([sharedN8n(), startDocker()]);
		client = new DockerClient({ connection: 'socket', socketPath: docker.socketPath });
		proxy = socketProxy(docker.socketPath);
		await proxy.listen();
	});
	after(async () => {
		if (workflowId) await n8n.deactivate(workflowId).catch(() => undefined);
		await proxy?.close();
		await docker?.stop();
	});

	const startLabelled = async (name: string) => {
		await client.createContainer({
			name,
			image: docker.busyboxImage,
			cmd: ['true'],
			labels: { 'lab.watch': 'yes' },
			networkMode: 'none',
		});
		await client.startContainer(name);
	};
	const firedFor = async (name: string) =>
		await waitFor(
			`an execution for container ${name}`,
			async () => {
				const executions = await n8n.executions(workflowId);
				const match = executions.find((execution) => {
					const item = execution.runData['Docker Events Trigger']?.[0]?.data?.main?.[0]?.[0]?.json;
					return item?.name === name;
				});
				return match;
			},
			{ timeoutMs: 30000, intervalMs: 250 },
		);

	it('fires on container start (filtered by type, action and label), survives a dropped stream, closes on deactivate', async () => {
		const credentialId = await n8n.createCredential('Docker (events proxy)', 'dockerHostApi', {
			connection: 'socket',
			socketPath: proxy.socketPath,
		});
		const workflow: WorkflowJson = {
			name: 'docker events: container started',
			nodes: [
				{
					name: 'Docker Events Trigger',
					type: 'n8n-nodes-homelab.dockerEventsTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: { types: ['container'], actions: ['start'], options: { labels: 'lab.watch=yes' } },
					credentials: { dockerHostApi: { id: credentialId, name: 'Docker (events proxy)' } },
				},
			],
			connections: {},
		};
		workflowId = await n8n.importWorkflow(workflow);
		await n8n.activate(workflowId);
		await waitFor('the trigger to connect', async () => (proxy.open.size > 0 ? true : undefined), {
			timeoutMs: 15000,
			intervalMs: 100,
		});

		// not labelled, and a create (not a start) of a labelled one: neither fires
		await client.createContainer({
			name: 'ignored',
			image: docker.busyboxImage,
			cmd: ['true'],
			networkMode: 'none',
		});
		await client.startContainer('ignored');
		await startLabelled('watched-1');
		const execution = await firedFor('watched-1');
		const item = execution.runData['Docker Events Trigger'][0].data!.main![0]![0].json;
		assert.equal(item.type, 'container');
		assert.equal(item.action, 'start');
		assert.equal((item.attributes as Record<string, string>)['lab.watch'], 'yes');
		assert.match(String(item.time), /^\d{4}-\d\d-\d\dT/);
		const all = await n8n.executions(workflowId);
		assert.equal(all.length, 1, 'only the labelled start fired');

		// the connection drops (engine restart, network blip): the trigger reconnects and keeps firing
		proxy.cutAll();
		await waitFor('the stream to drop', async () => (proxy.open.size === 0 ? true : undefined), {
			timeoutMs: 5000,
			intervalMs: 20,
		});
		await waitFor('the trigger to reconnect', async () => (proxy.open.size > 0 ? true : undefined), {
			timeoutMs: 15000,
			intervalMs: 100,
		});
		await startLabelled('watched-2');
		await firedFor('watched-2');
		assert.equal((await n8n.executions(workflowId)).length, 2);
		await waitFor(
			'the drop to be logged',
			async () => (/Docker Events Trigger: event stream/.test(n8n.log()) ? true : undefined),
			{ timeoutMs: 10000, intervalMs: 200 },
		);
		assert.match(
			n8n.log(),
			/Docker Events Trigger: event stream from unix:\/\/.*proxy\.sock dropped( \(.*\))?; reconnecting in \d+ ms/,
		);

		await n8n.deactivate(workflowId);
		await waitFor('the event stream to close', async () => (proxy.open.size === 0 ? true : undefined), {
			timeoutMs: 15000,
			intervalMs: 100,
		});
		workflowId = '';
	});

	it('activation fails with a clear error when the engine cannot be reached', async () => {
		const credentialId = await n8n.createCredential('Docker (nowhere)', 'dockerHostApi', {
			connection: 'socket',
			socketPath: '/nonexistent/docker.sock',
		});
		const id = await n8n.importWorkflow({
			name: 'docker events: unreachable',
			nodes: [
				{
					name: 'Docker Events Trigger',
					type: 'n8n-nodes-homelab.dockerEventsTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: { types: ['container'] },
					credentials: { dockerHostApi: { id: credentialId, name: 'Docker (nowhere)' } },
				},
			],
			connections: {},
		});
		await n8n.activate(id);
		// n8n 2.x publishes (activates) a workflow in the background and reports each trigger's outcome
		type Status = { data: { status: string; triggers: Array<{ status: string; errorMessage?: string }> } };
		const status = await waitFor(
			'n8n to report the activation outcome',
			async () => {
				const current = await n8n.rest<Status>('GET', `/workflows/${id}/publication-status`);
				return current.data.status === 'in_progress' ? undefined : current.data;
			},
			{ timeoutMs: 90000, intervalMs: 500 },
		);
		assert.equal(status.status, 'failed');
		assert.equal(
			status.triggers[0].errorMessage,
			'There was a problem activating the workflow: "Cannot reach the Docker engine at unix:///nonexistent/docker.sock: no such file or socket"',
		);
	});
});
