// The built backend as a child process deploying a compose stack with deploy-stack on a real Docker engine
// (test/services/docker), its image pulled from the registry simulator: write -> pull -> up -> healthy.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { DockerClient, LABELS } from '../../clients/docker';
import { startDocker, type DockerService } from '../services/docker';
import { startRegistry, type RegistrySimulator } from '../simulators/docker-registry';
import { BackendProcess, TOKEN } from './backend-process';
import { sleep } from './helpers';

interface JobView {
	id: string;
	status: string;
	error: string | null;
	result: { hash: string; services: Array<{ service: string; state: string; health?: string }> } | null;
	steps?: Array<{ name: string; status: string; attempts: number }>;
}

async function finished(backend: BackendProcess, id: string, timeoutMs = 60_000): Promise<JobView> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const job = await backend.api<JobView>('GET', `/v1/jobs/${id}`);
		if (['succeeded', 'failed', 'cancelled'].includes(job.status)) return job;
		if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status}: ${JSON.stringify(job.steps)}`);
		await sleep(100);
	}
}

describe('deploy-stack: backend process against a real Docker engine', () => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'homelab-docker-ops-'));
	let docker: DockerService;
	let registry: RegistrySimulator;
	let backend: BackendProcess;
	let image: string;

	before(async () => {
		[docker, registry] = await Promise.all([startDocker(), startRegistry()]);
		await registry.publish(docker.socketPath, docker.busyboxImage, 'lab/busybox', '1');
		image = `${registry.host}/lab/busybox:1`;
		const config = path.join(dir, 'backend.json');
		writeFileSync(
			config,
			JSON.stringify({ services: { docker: { hosts: { lab: { socketPath: docker.socketPath } } } } }),
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
		await registry?.close();
		await docker?.stop();
		rmSync(dir, { recursive: true, force: true });
	});

	const compose = () => `
services:
  app:
    image: ${image}
    command: ["sh", "-c", "echo $$GREETING > /tmp/greeting; exec sleep 3600"]
    network_mode: none
    environment:
      GREETING: \${GREETING}
    healthcheck:
      test: ["CMD", "test", "-s", "/tmp/greeting"]
      interval: 1s
      retries: 30
`;

	it('write -> pull -> up -> wait healthy; the stack runs with its env and the compose labels', async () => {
		const submitted = await backend.api<JobView>('POST', '/v1/jobs', {
			type: 'deploy-stack',
			input: {
				host: 'lab',
				project: 'greeter',
				compose: compose(),
				env: { GREETING: 'hello from the backend' },
				pollMs: 200,
			},
		});
		const job = await finished(backend, submitted.id);
		assert.equal(job.status, 'succeeded', `job failed: ${job.error}`);
		assert.deepEqual(job.result!.services, [{ service: 'app', state: 'running', health: 'healthy' }]);
		assert.deepEqual(
			job.steps!.map((step) => `${step.name}:${step.status}`),
			['write:succeeded', 'pull:succeeded', 'build:skipped', 'up:succeeded', 'health-wait:succeeded'],
		);
		assert.ok(
			registry.requests.some((request) => request.includes('/v2/lab/busybox/manifests/1')),
			'the image was pulled from the registry',
		);

		// the container on the engine: compose labels, the env interpolated
		const client = new DockerClient({ connection: 'socket', socketPath: docker.socketPath });
		const [container] = await client.listContainers({ filters: { label: [`${LABELS.project}=greeter`] } });
		assert.ok(container, 'a container of project greeter');
		assert.equal(container.Labels[LABELS.service], 'app');
		const exec = await client.exec(container.Id, ['cat', '/tmp/greeting']);
		assert.equal(exec.stdout.trim(), 'hello from the backend');

		// the project files beside the database; .env readable by the backend's user only
		const stack = path.join(dir, 'stacks', 'lab', 'greeter');
		assert.equal(readFileSync(path.join(stack, 'docker-compose.yml'), 'utf8'), compose());
		assert.equal(statSync(path.join(stack, '.env')).mode & 0o777, 0o600);
		assert.equal(readFileSync(path.join(stack, '.homelab-hash'), 'utf8'), job.result!.hash);
	});

	it('a compose file the deploy cannot use fails at the write step, nothing written', async () => {
		const submitted = await backend.api<JobView>('POST', '/v1/jobs', {
			type: 'deploy-stack',
			input: { host: 'lab', project: 'broken', compose: 'services:\n  app:\n    imag: busybox\n' },
		});
		const job = await finished(backend, submitted.id);
		assert.equal(job.status, 'failed');
		assert.match(job.error ?? '', /step write failed after 1 attempt/);
		assert.match(job.error ?? '', /imag/);
		assert.equal(existsSync(path.join(dir, 'stacks', 'lab', 'broken')), false);
	});

	it('an unknown host name (prototype keys included) is refused at submit (400), listing the configured ones', async () => {
		for (const host of ['no such host!', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
			const response = await fetch(`${backend.url}/v1/jobs`, {
				method: 'POST',
				headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
				body: JSON.stringify({ type: 'deploy-stack', input: { host, project: 'x', compose: compose() } }),
			});
			assert.equal(response.status, 400, host);
			const { error } = (await response.json()) as { error: string };
			assert.match(error, /is neither a name in services\.docker\.hosts \(lab\) nor an address/, host);
		}
	});
});
