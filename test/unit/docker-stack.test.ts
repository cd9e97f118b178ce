import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
	DockerClient,
	LABELS,
	parseCompose,
	ReadOnlyError,
	StackManager,
	type ServiceAction,
} from '../../clients/docker';
import { freePort } from '../harness/net';
import { buildBusyboxImage } from '../helpers/docker-images';
import { requireBinary } from '../services/common';
import { startDocker, type DockerService } from '../services/docker';

const COMPOSE = `
services:
  web:
    image: local/web:1
    command: ["httpd", "-f", "-p", "80", "-h", "/www"]
    ports: ["127.0.0.1:\${WEB_PORT}:80"]
    environment:
      ROLE: web
    volumes: [ "data:/data" ]
    networks: [ front, back ]
    labels: { lab.tier: frontend }
    restart: unless-stopped
    stop_grace_period: 1s
    depends_on: [ api ]
  api:
    image: local/busybox:latest
    command: sh -c 'echo "api up with $$GREETING"; exec sleep 3600'
    environment:
      - GREETING=\${GREETING:-hello}
    networks: [ back ]
    stop_signal: SIGKILL
networks: { front: {}, back: {} }
volumes: { data: {} }
`;

const WORKER = `
  worker:
    image: local/busybox:latest
    command: [ "sleep", "3600" ]
    network_mode: none
`;

function actions(services: ServiceAction[]): Record<string, string> {
	return Object.fromEntries(
		services.map((entry) => [entry.service, entry.action + (entry.reason ? ` (${entry.reason})` : '')]),
	);
}

describe('compose stacks on the engine API against a real Docker engine', () => {
	let docker: DockerService;
	let client: DockerClient;
	let stacks: StackManager;
	let webPort: number;
	const project = (variables: Record<string, string> = {}, extra = '') =>
		parseCompose(COMPOSE.replace('networks: { front', `${extra}networks: { front`), {
			projectName: 'stack-media',
			variables: { WEB_PORT: String(webPort), ...variables },
		});
	const page = async () => {
		for (let attempt = 0; attempt < 50; attempt++) {
			const text = await fetch(`http://127.0.0.1:${webPort}/index.html`)
				.then(async (response) => (response.ok ? await response.text() : ''))
				.catch(() => '');
			if (text) return text;
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		return '';
	};

	before(async () => {
		docker = await startDocker();
		client = new DockerClient({ connection: 'socket', socketPath: docker.socketPath });
		stacks = new StackManager(client);
		webPort = await freePort();
		await buildBusyboxImage(docker.socketPath, 'local/web:1', ['COPY index.html /www/index.html'], {
			'index.html': 'v1\n',
		});
	});
	after(async () => await docker?.stop());

	it('deploys a 2-service stack: networks, volume, containers with compose labels, in dependency order', async () => {
		const progress: string[] = [];
		const result = await stacks.deploy(project(), {
			onProgress: (event) => progress.push(event.message),
			configFile: '/stacks/media/compose.yaml',
			workingDir: '/stacks/media',
		});
		assert.deepEqual(
			result.services.map((entry) => [entry.service, entry.container, entry.action]),
			[
				['api', 'stack-media-api-1', 'created'],
				['web', 'stack-media-web-1', 'created'],
			],
		);
		assert.deepEqual(result.networksCreated.sort(), ['stack-media_back', 'stack-media_front']);
		assert.deepEqual(result.volumesCreated, ['stack-media_data']);
		assert.ok(progress.includes('create stack-media-web-1'), progress.join('\n'));
		assert.equal(await page(), 'v1\n');

		// service discovery across the shared network, by service name
		const fromApi = await client.exec('stack-media-api-1', ['wget', '-qO-', 'http://web/index.html']);
		assert.equal(fromApi.stdout, 'v1\n');

		const web = await client.inspectContainer('stack-media-web-1');
		assert.equal(web.Config.Labels[LABELS.project], 'stack-media');
		assert.equal(web.Config.Labels[LABELS.service], 'web');
		assert.equal(web.Config.Labels['lab.tier'], 'frontend');
		assert.equal(web.HostConfig.RestartPolicy?.Name, 'unless-stopped');
		assert.deepEqual(Object.keys(web.NetworkSettings.Networks).sort(), [
			'stack-media_back',
			'stack-media_front',
		]);
		assert.equal((web.Mounts as Array<{ Name?: string }>)[0].Name, 'stack-media_data');

		const listed = await stacks.list();
		assert.deepEqual(listed, [
			{
				name: 'stack-media',
				status: 'running(2)',
				services: ['api', 'web'],
				containers: 2,
				running: 2,
				configFiles: '/stacks/media/compose.yaml',
				workingDir: '/stacks/media',
			},
		]);
		const status = await stacks.status('stack-media');
		assert.deepEqual(
			status.map((entry) => [entry.service, entry.state, entry.running, entry.total]),
			[
				['api', 'running', 1, 1],
				['web', 'running', 1, 1],
			],
		);
		assert.deepEqual(status[1].containers[0].ports, [`127.0.0.1:${webPort}->80/tcp`]);
	});

	it('is seen by docker-compose itself (labels compatible with the compose CLI)', () => {
		const compose = requireBinary('docker-compose', 'docker-compose');
		const file = path.join(docker.dir, 'compose.yaml');
		writeFileSync(file, COMPOSE);
		const ps = execFileSync(
			compose,
			['-f', file, '-p', 'stack-media', 'ps', '--services', '--filter', 'status=running'],
			{
				env: { ...process.env, DOCKER_HOST: docker.dockerHost, WEB_PORT: String(webPort) },
				encoding: 'utf8',
				input: '',
				cwd: docker.dir,
			},
		);
		assert.deepEqual(ps.trim().split('\n').sort(), ['api', 'web']);
	});

	it('redeploying an unchanged file changes nothing; a changed variable recreates only that service', async () => {
		assert.deepEqual(actions((await stacks.deploy(project())).services), {
			api: 'unchanged',
			web: 'unchanged',
		});
		const before = await client.inspectContainer('stack-media-web-1');
		const updated = await stacks.deploy(project({ GREETING: 'changed' }));
		assert.deepEqual(actions(updated.services), {
			api: 'recreated (configuration changed)',
			web: 'unchanged',
		});
		assert.equal((await client.inspectContainer('stack-media-web-1')).Id, before.Id);
		const logs = await stacks.logs('stack-media', { services: ['api'] });
		for (let attempt = 0; !logs[0]?.stdout && attempt < 20; attempt++) {
			await new Promise((resolve) => setTimeout(resolve, 100));
			logs.splice(0, logs.length, ...(await stacks.logs('stack-media', { services: ['api'] })));
		}
		assert.deepEqual(
			logs.map((entry) => [entry.service, entry.container, entry.stdout]),
			[['api', 'stack-media-api-1', 'api up with changed\n']],
		);
	});

	it('pull and redeploy: a failed pull changes nothing and says why; with pull failures ignored, a new local image is rolled out', async () => {
		await buildBusyboxImage(docker.socketPath, 'local/web:1', ['COPY index.html /www/index.html'], {
			'index.html': 'v2\n',
		});
		const vars = { GREETING: 'changed' };
		await assert.rejects(stacks.deploy(project(vars), { pull: 'always' }), (error: Error) => {
			assert.match(error.message, /^Pull image "local\/busybox:latest" failed: /);
			return true;
		});
		assert.equal(await page(), 'v1\n', 'nothing was recreated');
		const redeployed = await stacks.deploy(project(vars), { pull: 'always', ignorePullFailures: true });
		assert.deepEqual(actions(redeployed.services), { api: 'unchanged', web: 'recreated (image updated)' });
		assert.equal(redeployed.warnings.length, 2);
		assert.match(
			redeployed.warnings[0],
			/^Pull image "local\/busybox:latest" failed: .*; using the image already on the host$/,
		);
		assert.equal(await page(), 'v2\n');
	});

	it('adds a service, then removes it as an orphan; stop, start again, status of stopped services', async () => {
		const vars = { GREETING: 'changed' };
		const added = await stacks.deploy(project(vars, `${WORKER}`.replace(/^\n/, '')));
		assert.equal(actions(added.services).worker, 'created');
		const orphaned = await stacks.deploy(project(vars));
		assert.equal(actions(orphaned.services).worker, 'removed (no longer in the compose file)');

		const stopped = await stacks.stop('stack-media', { timeoutSeconds: 1 });
		assert.deepEqual(stopped.map((entry) => [entry.service, entry.changed]).sort(), [
			['api', true],
			['web', true],
		]);
		const status = await stacks.status('stack-media', project(vars, WORKER.replace(/^\n/, '')));
		assert.deepEqual(
			status.map((entry) => [entry.service, entry.state]),
			[
				['api', 'stopped'],
				['web', 'stopped'],
				['worker', 'missing'],
			],
		);
		assert.deepEqual(actions((await stacks.deploy(project(vars))).services), {
			api: 'started',
			web: 'started',
		});
		assert.equal(await page(), 'v2\n');
	});

	it('read-only connections refuse deploy, stop and down', async () => {
		const readOnly = new StackManager(
			new DockerClient({ connection: 'socket', socketPath: docker.socketPath, readOnly: true }),
		);
		await assert.rejects(readOnly.deploy(project()), ReadOnlyError);
		await assert.rejects(readOnly.stop('stack-media'), ReadOnlyError);
		await assert.rejects(readOnly.down('stack-media'), ReadOnlyError);
		assert.equal((await readOnly.list()).length, 1);
	});

	it('down removes containers and networks, and volumes only when asked', async () => {
		const down = await stacks.down('stack-media', { timeoutSeconds: 1 });
		assert.deepEqual(down.containers.sort(), ['stack-media-api-1', 'stack-media-web-1']);
		assert.deepEqual(down.networks.sort(), ['stack-media_back', 'stack-media_front']);
		assert.deepEqual(down.volumes, []);
		assert.deepEqual(await stacks.list(), []);
		assert.deepEqual(
			(await client.listVolumes({ label: [`${LABELS.project}=stack-media`] })).map((volume) => volume.Name),
			['stack-media_data'],
		);
		const withVolumes = await stacks.down('stack-media', { volumes: true });
		assert.deepEqual(withVolumes.volumes, ['stack-media_data']);
		await assert.rejects(stacks.down('stack-media'), /Stack "stack-media" does not exist on this host/);
		await assert.rejects(
			stacks.status('no-such-stack'),
			/Stack "no-such-stack" has no containers on this host/,
		);
	});
});
