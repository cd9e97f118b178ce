import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { DockerClient, StackManager } from '../../clients/docker';
import { planCommand } from '../../backend/src/catalog/command';
import { loadCatalog } from '../../backend/src/catalog/load';
import type { Plan } from '../../backend/src/catalog/plan';
import { BASE_CATALOG, CatalogFixtures } from '../helpers/catalog';
import { startDocker, type DockerService } from '../services/docker';

const fixtures = new CatalogFixtures();

function catalogFor(socketPath: string, changes: Record<string, string | null> = {}): string {
	return fixtures.catalog({
		'homelab.yaml': BASE_CATALOG['homelab.yaml'].replace(
			'  mini:\n    connection: socket\n',
			`  mini:\n    connection: socket\n    socketPath: ${socketPath}\n`,
		),
		'services/web/service.yaml': null,
		'services/web/compose.yaml': null,
		'services/db/service.yaml': null,
		'services/db/compose.yaml': null,
		'services/app/service.yaml': 'host: mini\nenv:\n  MODE: one\n  APP_TOKEN: ${APP_TOKEN}\n',
		'services/app/compose.yaml': [
			'services:',
			'  app:',
			'    image: local/busybox:latest',
			'    command: ["sleep", "3600"]',
			'    network_mode: none',
			'    stop_signal: SIGKILL',
			'    environment:',
			'      TOKEN: ${APP_TOKEN}',
			'      MODE: ${MODE}',
			'',
		].join('\n'),
		...changes,
	});
}

describe('homelab plan (online) against a real Docker engine', () => {
	let docker: DockerService;
	let client: DockerClient;
	before(async () => {
		docker = await startDocker();
		client = new DockerClient({ connection: 'socket', socketPath: docker.socketPath });
	});
	after(async () => {
		await docker?.stop();
		fixtures.cleanup();
	});

	const secretsWith = (token: string) =>
		fixtures.secrets({ NAS_CA: 'ca-text', PDNS_KEY: 'pdns-key', APP_TOKEN: token });

	async function plan(dir: string, secrets: string) {
		let stdout = '';
		let stderr = '';
		const code = await planCommand(['--catalog', dir, '--secrets', secrets, '--json'], {
			stdout: (text) => (stdout += text),
			stderr: (text) => (stderr += text),
			env: {},
		});
		return { code, stdout, stderr, json: stdout ? (JSON.parse(stdout) as Plan) : undefined };
	}

	it('create, then unchanged, recreate with the reason, start, and never a secret in the output', async () => {
		const dir = catalogFor(docker.socketPath);
		const secrets = secretsWith('first-token-value');
		const fresh = await plan(dir, secrets);
		assert.equal(fresh.code, 2, fresh.stderr);
		assert.deepEqual(fresh.json!.live, [
			{
				name: 'app',
				host: 'mini',
				action: 'create',
				containers: [{ composeService: 'app', container: 'app-app-1', action: 'create' }],
			},
		]);

		// an unrelated stack on the same engine is not the catalog's business
		const stacks = new StackManager(client);
		await stacks.deploy(loadCatalog(dir, { secretsFile: secrets }).services[0].project);
		await stacks.deploy(
			loadCatalog(
				catalogFor(docker.socketPath, {
					'services/app/service.yaml': 'name: other\nhost: mini\nenv: { MODE: x, APP_TOKEN: y }\n',
				}),
				{
					secretsFile: secrets,
				},
			).services[0].project,
		);
		const same = await plan(dir, secrets);
		assert.equal(same.code, 0, same.stdout + same.stderr);
		assert.equal(same.json!.live![0].action, 'unchanged');
		assert.equal(same.json!.live!.length, 1);

		const rotated = await plan(dir, secretsWith('second-token-value'));
		assert.equal(rotated.code, 2);
		assert.deepEqual(rotated.json!.live![0].containers[0], {
			composeService: 'app',
			container: 'app-app-1',
			action: 'recreate',
			reason: 'env TOKEN changed',
		});
		assert.ok(
			!rotated.stdout.includes('first-token-value') && !rotated.stdout.includes('second-token-value'),
		);

		const modeChanged = catalogFor(docker.socketPath, {
			'services/app/service.yaml': 'host: mini\nenv:\n  MODE: two\n  APP_TOKEN: ${APP_TOKEN}\n',
		});
		const mode = await plan(modeChanged, secrets);
		assert.equal(mode.json!.live![0].containers[0].reason, 'env MODE changed');

		const [container] = await client.listContainers({ all: true, filters: { name: ['app-app-1'] } });
		await client.stopContainer(container.Id, 1);
		const stopped = await plan(dir, secrets);
		assert.equal(stopped.code, 2);
		assert.equal(stopped.json!.live![0].containers[0].action, 'start');
		assert.equal(stopped.json!.live![0].containers[0].reason, 'the container is exited');
	});

	it('an unreachable host makes the plan incomplete: exit 1, never "unchanged"', async () => {
		const dir = catalogFor(path.join(docker.dir, 'no-such.sock'));
		const result = await plan(dir, secretsWith('x-token'));
		assert.equal(result.code, 1);
		assert.equal(result.json!.incomplete, true);
		assert.equal(result.json!.live![0].action, 'unknown');
		assert.match(result.json!.live![0].error!, /no-such\.sock/);
	});

	it('--offline never asks a host: an unreachable one does not matter', async () => {
		const dir = catalogFor(path.join(docker.dir, 'no-such.sock'));
		let stdout = '';
		const code = await planCommand(['--offline', '--catalog', dir, '--secrets', secretsWith('t')], {
			stdout: (text) => (stdout += text),
			stderr: () => undefined,
			env: {},
		});
		assert.equal(code, 2);
		assert.match(stdout, /^\+ service app \(on mini\)$/m);
		assert.doesNotMatch(stdout, /Containers \(live/);
	});
});
