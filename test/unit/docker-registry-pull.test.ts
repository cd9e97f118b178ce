import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { DockerClient, parseCompose, StackManager, type ServiceAction } from '../../clients/docker';
import { freePort } from '../harness/net';
import { buildBusyboxImage } from '../helpers/docker-images';
import { startRegistry, type RegistrySimulator } from '../simulators/docker-registry';
import { startDocker, type DockerService } from '../services/docker';

const actions = (services: ServiceAction[]) =>
	Object.fromEntries(
		services.map((entry) => [entry.service, entry.action + (entry.reason ? ` (${entry.reason})` : '')]),
	);

describe('pulling from a registry (Registry API V2 simulator) into a real Docker engine', () => {
	let docker: DockerService;
	let registry: RegistrySimulator;
	let client: DockerClient;
	before(async () => {
		[docker, registry] = await Promise.all([startDocker(), startRegistry()]);
		client = new DockerClient({ connection: 'socket', socketPath: docker.socketPath });
		await buildBusyboxImage(docker.socketPath, 'build/web:v1', ['COPY index.html /www/index.html'], {
			'index.html': 'v1\n',
		});
		await registry.publish(docker.socketPath, 'build/web:v1', 'lab/web', '1');
		await registry.publish(docker.socketPath, docker.busyboxImage, 'lab/busybox', '1');
	});
	after(async () => {
		await registry?.close();
		await docker?.stop();
	});

	it('pulls an image with progress messages; an unknown tag fails naming the image', async () => {
		// without the locally built image, its COPY layer must really be downloaded from the registry
		await client.removeImage('build/web:v1');
		const progress: string[] = [];
		const pulled = await client.pullImage(`${registry.host}/lab/web:1`, {
			onProgress: (event) => progress.push(event.message),
		});
		assert.equal(pulled.image, `${registry.host}/lab/web:1`);
		assert.match(pulled.status, /Downloaded newer image|Image is up to date/);
		assert.ok(
			progress.some((line) => /Pull complete|Download complete|Downloading|Extracting/.test(line)),
			progress.join('\n'),
		);
		assert.ok(
			registry.requests.some((line) => line.endsWith('/v2/lab/web/manifests/1')),
			registry.requests.join('\n'),
		);
		await assert.rejects(client.pullImage(`${registry.host}/lab/web:nope`), (error: Error) => {
			assert.match(
				error.message,
				new RegExp(
					`^Pull image "${registry.host.replace(/\./g, '\\.')}/lab/web:nope" failed: .*(manifest unknown|not found)`,
				),
			);
			return true;
		});
	});

	it('pull and redeploy: a new image in the registry recreates only the services whose image changed', async () => {
		const webPort = await freePort();
		const yaml = `
services:
  web:
    image: ${registry.host}/lab/web:1
    command: ["httpd", "-f", "-p", "80", "-h", "/www"]
    ports: ["127.0.0.1:${webPort}:80"]
    stop_signal: SIGKILL
  sidecar:
    image: ${registry.host}/lab/busybox:1
    command: ["sleep", "3600"]
    network_mode: none
    stop_signal: SIGKILL
`;
		const stacks = new StackManager(client);
		await client.removeImage(`${registry.host}/lab/web:1`);
		const deployed = await stacks.deploy(parseCompose(yaml, { projectName: 'stack-pull' }));
		assert.deepEqual(actions(deployed.services), { web: 'created', sidecar: 'created' });
		assert.deepEqual(deployed.imagesPulled.map((entry) => entry.image).sort(), [
			`${registry.host}/lab/busybox:1`,
			`${registry.host}/lab/web:1`,
		]);
		const page = async () => {
			for (let attempt = 0; attempt < 50; attempt++) {
				const text = await fetch(`http://127.0.0.1:${webPort}/index.html`)
					.then(async (response) => await response.text())
					.catch(() => '');
				if (text) return text;
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
			return '';
		};
		assert.equal(await page(), 'v1\n');

		const unchanged = await stacks.deploy(parseCompose(yaml, { projectName: 'stack-pull' }), {
			pull: 'always',
		});
		assert.deepEqual(actions(unchanged.services), { web: 'unchanged', sidecar: 'unchanged' });

		await buildBusyboxImage(docker.socketPath, 'build/web:v2', ['COPY index.html /www/index.html'], {
			'index.html': 'v2\n',
		});
		await registry.publish(docker.socketPath, 'build/web:v2', 'lab/web', '1');
		const progress: string[] = [];
		const redeployed = await stacks.deploy(parseCompose(yaml, { projectName: 'stack-pull' }), {
			pull: 'always',
			onProgress: (event) => progress.push(event.message),
		});
		assert.deepEqual(actions(redeployed.services), {
			web: 'recreated (image updated)',
			sidecar: 'unchanged',
		});
		assert.deepEqual(redeployed.warnings, []);
		assert.ok(progress.includes(`pull ${registry.host}/lab/web:1`));
		assert.equal(await page(), 'v2\n');
		await stacks.down('stack-pull');
	});
});
