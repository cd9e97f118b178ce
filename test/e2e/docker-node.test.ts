import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { freePort } from '../harness/net';
import { DockerClient } from '../../clients/docker';
import { n8nEnvironment, outputOf, type ExecutionResult, type N8n } from '../harness/n8n';
import { buildBusyboxImage } from '../helpers/docker-images';
import { sharedN8n } from '../helpers/shared-n8n';
import { startRegistry, type RegistrySimulator } from '../simulators/docker-registry';
import { linearWorkflow } from '../helpers/workflows';
import { startDocker, type DockerService } from '../services/docker';

type Json = Record<string, unknown>;

/**
 * A fresh folder the n8n under test may read files in: the first of its N8N_RESTRICT_FILE_ACCESS_TO folders
 * (n8n 2.x's default is ~/.n8n-files of the user it runs as), as the harness starts it.
 */
function readableFolder(n8n: N8n): string {
	const env: Record<string, string | undefined> = { ...process.env, ...n8nEnvironment(n8n.userFolder, 0, 0) };
	const allowed = (env.N8N_RESTRICT_FILE_ACCESS_TO ?? '~/.n8n-files').split(';')[0].trim();
	const base = allowed.replace(/^~/, os.homedir());
	mkdirSync(base, { recursive: true });
	return mkdtempSync(path.join(base, 'homelab-stack-'));
}

describe('Docker node inside real n8n, against a real Docker engine', () => {
	let n8n: N8n;
	let docker: DockerService;
	let credential: { id: string; name: string };
	let readOnly: { id: string; name: string };
	let unreachable: { id: string; name: string };
	let webPort: number;
	let registry: RegistrySimulator;

	before(async () => {
		[n8n, docker, registry] = await Promise.all([sharedN8n(), startDocker(), startRegistry()]);
		const create = async (name: string, data: Json) => ({
			id: await n8n.createCredential(name, 'dockerHostApi', data),
			name,
		});
		credential = await create('Docker (test engine)', {
			connection: 'socket',
			socketPath: docker.socketPath,
		});
		readOnly = await create('Docker (read only)', {
			connection: 'socket',
			socketPath: docker.socketPath,
			readOnly: true,
		});
		unreachable = await create('Docker (nowhere)', {
			connection: 'socket',
			socketPath: '/nonexistent/docker.sock',
		});
		webPort = await freePort();
		await buildBusyboxImage(docker.socketPath, 'local/web:1', ['COPY index.html /www/index.html'], {
			'index.html': 'v1\n',
		});
	});
	after(async () => {
		await registry?.close();
		await docker?.stop();
	});

	let runs = 0;
	/** Runs one Docker node with the given parameters (once per input item) and returns the execution. */
	const run = async (
		parameters: Json,
		options: { items?: Json[]; cred?: { id: string; name: string }; extra?: Json } = {},
	): Promise<ExecutionResult> => {
		const items = options.items ?? [{}];
		const workflow = linearWorkflow(
			`docker e2e ${++runs}: ${String(parameters.resource)} ${String(parameters.operation)}`,
			[
				{
					name: 'Items',
					type: 'n8n-nodes-base.code',
					typeVersion: 2,
					parameters: { jsCode: `return ${JSON.stringify(items.map((json) => ({ json })))};` },
				},
				{
					name: 'Docker',
					type: 'n8n-nodes-homelab.docker',
					typeVersion: 1,
					parameters,
					credentials: { dockerHostApi: options.cred ?? credential },
					...(options.extra ?? {}),
				},
			],
		);
		return await n8n.runWorkflow(await n8n.importWorkflow(workflow), 'Manual Trigger', 120000);
	};
	const ok = async (parameters: Json, options: Parameters<typeof run>[1] = {}) => {
		const result = await run(parameters, options);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		return outputOf(result, 'Docker').map((item) => item.json);
	};
	const byId = (value: string) => ({ __rl: true, mode: 'id', value });

	it('credential test: ping + version through the node, and a clear failure for a missing socket', async () => {
		const test = async (data: Json) =>
			await n8n.rest<{ data: { status: string; message: string } }>('POST', '/credentials/test', {
				credentials: { id: credential.id, name: 'x', type: 'dockerHostApi', data },
			});
		const good = await test({ connection: 'socket', socketPath: docker.socketPath });
		assert.equal(good.data.status, 'OK');
		assert.match(
			good.data.message,
			new RegExp(
				`^Connected to Docker [\\w.+~-]+ \\(API 1\\.\\d+, linux/\\w+\\) at unix://${docker.socketPath}$`,
			),
		);
		const bad = await test({ connection: 'socket', socketPath: '/nonexistent/docker.sock' });
		assert.equal(bad.data.status, 'Error');
		assert.match(
			bad.data.message,
			/^Cannot reach the Docker engine at unix:\/\/\/nonexistent\/docker\.sock: no such file or socket\. Check that dockerd runs/,
		);
	});

	it('container: create with env/labels, start, exec argv with exit code, logs demuxed, top, stats, inspect, list, stop, wait, restart, remove', async () => {
		const [created] = await ok(
			{
				resource: 'container',
				operation: 'create',
				image: docker.busyboxImage,
				name: '={{ $json.name }}',
				command: '["sh", "-c", "echo out-$GREETING; echo err >&2; exec sleep 300"]',
				env: { entries: [{ name: 'GREETING', value: 'hi' }] },
				labels: { entries: [{ name: 'lab.test', value: 'e2e' }] },
				restartPolicy: 'unless-stopped',
				options: { networkMode: 'none' },
			},
			{ items: [{ name: 'e2e-box' }] },
		);
		assert.equal(created.name, 'e2e-box');
		assert.equal(created.started, true);
		const box = byId('e2e-box');

		const [exec] = await ok(
			{
				resource: 'container',
				operation: 'exec',
				containerId: box,
				command: '={{ ["sh", "-c", "echo $0; exit 4", $json.word] }}',
			},
			{ items: [{ word: 'a;b $HOME' }] },
		);
		assert.deepEqual([exec.exitCode, exec.stdout, exec.stderr], [4, 'a;b $HOME\n', '']);
		const failed = await run({
			resource: 'container',
			operation: 'exec',
			containerId: box,
			command: '["false"]',
			options: { failOnError: true },
		});
		assert.equal(failed.status, 'error');
		assert.equal(failed.error?.message, '["false"] in container "e2e-box" exited with code 1');
		const shellString = await run({
			resource: 'container',
			operation: 'exec',
			containerId: box,
			command: 'rm -rf /tmp/x',
		});
		assert.equal(shellString.error?.message, 'The command "rm -rf /tmp/x" is not a JSON array');

		let logs: Json = {};
		for (let attempt = 0; attempt < 20 && !logs.stderr; attempt++)
			[logs] = await ok({
				resource: 'container',
				operation: 'logs',
				containerId: box,
				logOptions: { tail: 10 },
			});
		assert.equal(logs.stdout, 'out-hi\n');
		assert.equal(logs.stderr, 'err\n');

		const [top] = await ok({ resource: 'container', operation: 'top', containerId: box });
		assert.ok((top.processes as Json[]).length >= 1);
		const [stats] = await ok({ resource: 'container', operation: 'stats', containerId: box });
		assert.equal(typeof stats.memoryUsageBytes, 'number');
		const [inspected] = await ok({ resource: 'container', operation: 'inspect', containerId: box });
		assert.deepEqual((inspected.Config as Json).Labels, { 'lab.test': 'e2e' });
		const listed = await ok({
			resource: 'container',
			operation: 'list',
			returnAll: true,
			filters: { label: 'lab.test=e2e', status: ['running'] },
		});
		assert.deepEqual(
			listed.map((entry) => [entry.name, entry.state]),
			[['e2e-box', 'running']],
		);

		const [restarted] = await ok({
			resource: 'container',
			operation: 'restart',
			containerId: box,
			timeout: 1,
		});
		assert.equal(restarted.restarted, true);
		const [stopped] = await ok({ resource: 'container', operation: 'stop', containerId: box, timeout: 1 });
		assert.equal(stopped.changed, true);
		const [waited] = await ok({
			resource: 'container',
			operation: 'wait',
			containerId: box,
			condition: 'not-running',
		});
		assert.equal(waited.statusCode, 137);
		const [started] = await ok({ resource: 'container', operation: 'start', containerId: box });
		assert.equal(started.changed, true);
		const [removed] = await ok({ resource: 'container', operation: 'remove', containerId: box, force: true });
		assert.equal(removed.removed, true);
	});

	it('image, network, volume and system operations', async () => {
		const images = await ok({
			resource: 'image',
			operation: 'list',
			returnAll: true,
			filters: { reference: 'local/*' },
		});
		assert.deepEqual(images.map((image) => (image.tags as string[])[0]).sort(), [
			'local/busybox:latest',
			'local/web:1',
		]);
		const [image] = await ok({ resource: 'image', operation: 'inspect', imageId: byId('local/web:1') });
		assert.deepEqual(image.RepoTags, ['local/web:1']);
		await buildBusyboxImage(docker.socketPath, 'build/app:1', ['LABEL lab.test=pulled']);
		await registry.publish(docker.socketPath, 'build/app:1', 'lab/app', '1');
		const [pulled] = await ok({ resource: 'image', operation: 'pull', image: `${registry.host}/lab/app:1` });
		assert.equal(pulled.image, `${registry.host}/lab/app:1`);
		assert.match(String(pulled.status), /^Status: Downloaded newer image/);
		assert.ok((pulled.progress as string[]).some((line) => line.includes('Pulling from lab/app')));
		const port = await freePort();
		const pull = await run({ resource: 'image', operation: 'pull', image: `127.0.0.1:${port}/lab/app:1` });
		assert.equal(pull.status, 'error');
		assert.match(
			String(pull.error?.message),
			new RegExp(`^Pull image "127\\.0\\.0\\.1:${port}/lab/app:1" failed: .*connection refused`),
		);
		await buildBusyboxImage(docker.socketPath, 'local/throwaway:1', ['LABEL lab.test=throwaway']);
		const [removedImage] = await ok({
			resource: 'image',
			operation: 'remove',
			imageId: byId('local/throwaway:1'),
		});
		assert.deepEqual(removedImage.untagged, ['local/throwaway:1']);
		const [prunedImages] = await ok({ resource: 'image', operation: 'prune', all: false });
		assert.ok('SpaceReclaimed' in prunedImages);

		const [network] = await ok({
			resource: 'network',
			operation: 'create',
			name: 'e2e-net',
			labels: { entries: [{ name: 'lab.test', value: 'e2e' }] },
			options: { internal: true },
		});
		assert.ok(network.id);
		const networks = await ok({ resource: 'network', operation: 'list', filters: { label: 'lab.test=e2e' } });
		assert.deepEqual(
			networks.map((entry) => [entry.name, entry.internal]),
			[['e2e-net', true]],
		);
		await ok({ resource: 'network', operation: 'remove', networkId: byId('e2e-net') });
		await ok({ resource: 'network', operation: 'create', name: 'e2e-unused' });
		const [prunedNetworks] = await ok({ resource: 'network', operation: 'prune' });
		assert.deepEqual(prunedNetworks.networksDeleted, ['e2e-unused']);

		const [volume] = await ok({
			resource: 'volume',
			operation: 'create',
			name: 'e2e-data',
			driver: 'local',
			labels: { entries: [{ name: 'lab.test', value: 'e2e' }] },
		});
		assert.equal(volume.Name, 'e2e-data');
		const volumes = await ok({ resource: 'volume', operation: 'list', filters: { label: 'lab.test=e2e' } });
		assert.deepEqual(
			volumes.map((entry) => entry.name),
			['e2e-data'],
		);
		await ok({ resource: 'volume', operation: 'remove', volumeName: byId('e2e-data') });
		const [prunedVolumes] = await ok({ resource: 'volume', operation: 'prune' });
		assert.ok(Array.isArray(prunedVolumes.volumesDeleted));

		const [info] = await ok({ resource: 'system', operation: 'info' });
		assert.equal(typeof info.ServerVersion, 'string');
		const [version] = await ok({ resource: 'system', operation: 'version' });
		assert.match(String(version.ApiVersion), /^1\.\d+$/);
		const [df] = await ok({ resource: 'system', operation: 'df' });
		assert.ok(Array.isArray(df.Images));
		const [pruned] = await ok({ resource: 'system', operation: 'prune' });
		assert.ok('containers' in pruned && 'images' in pruned);
	});

	it('stack: deploy a 2-service stack from a file path, status, update, pull and redeploy, logs, stop, down', async () => {
		const dir = readableFolder(n8n);
		after(() => rmSync(dir, { recursive: true, force: true }));
		const composePath = path.join(dir, 'compose.yaml');
		writeFileSync(path.join(dir, '.env'), `WEB_PORT=${webPort}\nGREETING=from-dotenv\n`);
		writeFileSync(
			composePath,
			[
				'services:',
				'  web:',
				'    image: local/web:1',
				'    command: ["httpd", "-f", "-p", "80", "-h", "/www"]',
				'    ports: ["127.0.0.1:${WEB_PORT}:80"]',
				'    stop_signal: SIGKILL',
				'    depends_on: [api]',
				'  api:',
				'    image: local/busybox:latest',
				'    command: sh -c \'echo "api says $$GREETING"; exec sleep 3600\'',
				'    environment: [ "GREETING=${GREETING}" ]',
				'    stop_signal: SIGKILL',
				'',
			].join('\n'),
		);
		const source = { stack: 'stack-e2e', source: 'path', composePath };
		const [deployed] = await ok({ resource: 'stack', operation: 'deploy', ...source });
		assert.deepEqual(
			(deployed.services as Json[]).map((entry) => [entry.service, entry.action]),
			[
				['api', 'created'],
				['web', 'created'],
			],
		);
		assert.deepEqual(deployed.networksCreated, ['stack-e2e_default']);
		const page = async () =>
			await fetch(`http://127.0.0.1:${webPort}/index.html`).then(async (response) => await response.text());
		assert.equal(await page(), 'v1\n');

		const stacks = await ok({ resource: 'stack', operation: 'list' });
		assert.deepEqual(
			stacks.map((entry) => [entry.name, entry.status, entry.configFiles]),
			[['stack-e2e', 'running(2)', composePath]],
		);
		const status = await ok({ resource: 'stack', operation: 'status', stackName: byId('stack-e2e') });
		assert.deepEqual(
			status.map((entry) => [entry.service, entry.state]),
			[
				['api', 'running'],
				['web', 'running'],
			],
		);

		const [updated] = await ok({
			resource: 'stack',
			operation: 'deploy',
			...source,
			variables: { entries: [{ name: 'GREETING', value: 'from-n8n' }] },
		});
		assert.deepEqual(
			(updated.services as Json[]).map((entry) => [entry.service, entry.action]),
			[
				['api', 'recreated'],
				['web', 'unchanged'],
			],
		);

		await buildBusyboxImage(docker.socketPath, 'local/web:1', ['COPY index.html /www/index.html'], {
			'index.html': 'v2\n',
		});
		const strict = await run({ resource: 'stack', operation: 'pullAndRedeploy', ...source });
		assert.equal(strict.status, 'error');
		assert.match(String(strict.error?.message), /^Pull image "local\/(busybox:latest|web:1)" failed: /);
		const [redeployed] = await ok({
			resource: 'stack',
			operation: 'pullAndRedeploy',
			...source,
			variables: { entries: [{ name: 'GREETING', value: 'from-n8n' }] },
			redeployOptions: { ignorePullFailures: true },
		});
		assert.deepEqual(
			(redeployed.services as Json[]).map((entry) => [entry.service, entry.action, entry.reason ?? null]),
			[
				['api', 'unchanged', null],
				['web', 'recreated', 'image updated'],
			],
		);
		assert.equal(await page(), 'v2\n');

		const logs = await ok({
			resource: 'stack',
			operation: 'logs',
			stackName: byId('stack-e2e'),
			services: 'api',
			logOptions: { tail: 5 },
		});
		assert.deepEqual(
			logs.map((entry) => [entry.service, entry.stdout]),
			[['api', 'api says from-n8n\n']],
		);
		const [stopped] = await ok({
			resource: 'stack',
			operation: 'stop',
			stackName: byId('stack-e2e'),
			timeout: 1,
		});
		assert.equal((stopped.containers as Json[]).length, 2);
		const [down] = await ok({
			resource: 'stack',
			operation: 'down',
			stackName: byId('stack-e2e'),
			removeVolumes: true,
		});
		assert.deepEqual((down.containers as string[]).sort(), ['stack-e2e-api-1', 'stack-e2e-web-1']);
		assert.deepEqual(await ok({ resource: 'stack', operation: 'list' }), []);
	});

	it("stack files follow n8n's file-access rules: no /proc, nothing outside the allowed folders, nothing deployed", async () => {
		const allowed = readableFolder(n8n);
		const outside = mkdtempSync(path.join(os.tmpdir(), 'homelab-stack-outside-'));
		after(() => {
			rmSync(allowed, { recursive: true, force: true });
			rmSync(outside, { recursive: true, force: true });
		});
		const compose = (envFile: string) =>
			`services:\n  leak:\n    image: local/busybox:latest\n    command: [sleep, "3600"]\n    env_file: ${envFile}\n    network_mode: none\n`;
		const refused = async (parameters: Json, message: RegExp) => {
			const result = await run({
				resource: 'stack',
				operation: 'deploy',
				stack: 'stack-evil',
				...parameters,
			});
			assert.equal(result.status, 'error');
			assert.match(String(result.error?.message), message);
			assert.match(String(result.error?.description), /N8N_RESTRICT_FILE_ACCESS_TO/);
		};

		const procCompose = path.join(allowed, 'proc.yaml');
		writeFileSync(procCompose, compose('/proc/self/environ'));
		await refused(
			{ source: 'path', composePath: procCompose },
			/^The file "\/proc\/self\/environ" may not be read: it is in a system folder/,
		);
		// the same through a symlink in the allowed folder, and from inline YAML
		symlinkSync('/proc/self/environ', path.join(allowed, 'innocent.env'));
		const linkCompose = path.join(allowed, 'link.yaml');
		writeFileSync(linkCompose, compose('./innocent.env'));
		await refused(
			{ source: 'path', composePath: linkCompose },
			/^The file ".*innocent\.env" may not be read: it leads to \/proc\/\d+\/environ, a system folder/,
		);
		await refused(
			{ source: 'inline', composeYaml: compose('/proc/self/environ') },
			/^The file "\/proc\/self\/environ" may not be read/,
		);

		// outside the allowed folder: the compose file itself, and an env file next to an allowed compose file
		const outsideCompose = path.join(outside, 'compose.yaml');
		writeFileSync(outsideCompose, compose('./x.env'));
		writeFileSync(path.join(outside, 'x.env'), 'SECRET=outside\n');
		await refused(
			{ source: 'path', composePath: outsideCompose },
			/^The file ".*compose\.yaml" may not be read: n8n’s file-access settings do not allow this path/,
		);
		const reachOut = path.join(allowed, 'reach.yaml');
		writeFileSync(reachOut, compose(path.join(outside, 'x.env')));
		await refused(
			{ source: 'path', composePath: reachOut },
			/^The file ".*x\.env" may not be read: n8n’s file-access settings do not allow this path/,
		);

		const engine = new DockerClient({ connection: 'socket', socketPath: docker.socketPath });
		assert.deepEqual(
			await engine.listContainers({ filters: { label: ['com.docker.compose.project=stack-evil'] } }),
			[],
		);
	});

	it('dropdowns list containers, images, stacks, networks and volumes (listSearch)', async () => {
		await ok({
			resource: 'stack',
			operation: 'deploy',
			stack: 'stack-pick',
			source: 'inline',
			composeYaml:
				'services:\n  box:\n    image: local/busybox:latest\n    command: [sleep, "3600"]\n    network_mode: none\n    stop_signal: SIGKILL\n',
		});
		const search = async (methodName: string, filter?: string) =>
			(
				await n8n.rest<{ data: { results: Array<{ name: string; value: string }> } }>(
					'POST',
					'/dynamic-node-parameters/resource-locator-results',
					{
						nodeTypeAndVersion: { name: 'n8n-nodes-homelab.docker', version: 1 },
						path: 'parameters.containerId',
						methodName,
						filter,
						currentNodeParameters: { resource: 'container', operation: 'inspect' },
						credentials: { dockerHostApi: credential },
					},
				)
			).data.results;
		assert.deepEqual(await search('searchContainers', 'pick'), [
			{ name: 'stack-pick-box-1 (running, local/busybox:latest)', value: 'stack-pick-box-1' },
		]);
		assert.ok((await search('searchImages', 'web')).some((entry) => entry.value === 'local/web:1'));
		assert.deepEqual(await search('searchStacks'), [
			{ name: 'stack-pick (running(1))', value: 'stack-pick' },
		]);
		assert.ok((await search('searchNetworks')).some((entry) => entry.value === 'none'));
		await ok({ resource: 'volume', operation: 'create', name: 'pick-volume', driver: 'local' });
		assert.deepEqual(
			(await search('searchVolumes', 'pick')).map((entry) => entry.value),
			['pick-volume'],
		);
		await ok({ resource: 'stack', operation: 'down', stackName: byId('stack-pick') });
	});

	it('bad input fails with what failed and what to do: missing container, invalid YAML (line), unreachable host, read-only', async () => {
		const missing = await run({
			resource: 'container',
			operation: 'inspect',
			containerId: byId('no-such-box'),
		});
		assert.equal(missing.status, 'error');
		assert.equal(
			missing.error?.message,
			'Inspect container "no-such-box" failed: No such container: no-such-box',
		);
		assert.match(String(missing.error?.description), /list them first/);

		const yaml = await run({
			resource: 'stack',
			operation: 'deploy',
			stack: 'broken',
			source: 'inline',
			composeYaml: 'services:\n  web:\n    image: busybox\n   ports: [80]\n',
		});
		assert.equal(
			yaml.error?.message,
			'Invalid compose YAML at line 4, column 1: All mapping items must start at the same column',
		);
		const undeclared = await run({
			resource: 'stack',
			operation: 'deploy',
			stack: 'broken',
			source: 'inline',
			composeYaml: 'services:\n  web:\n    image: busybox\n    volumes: ["data:/data"]\n',
		});
		assert.match(
			String(undeclared.error?.message),
			/refers to volume "data", which is not declared under the top-level volumes: \(line 4, column 15\)/,
		);
		assert.match(String(undeclared.error?.description), /Add "data:" under volumes:/);

		const nowhere = await run({ resource: 'container', operation: 'list' }, { cred: unreachable });
		assert.equal(
			nowhere.error?.message,
			'Cannot reach the Docker engine at unix:///nonexistent/docker.sock: no such file or socket',
		);
		assert.match(String(nowhere.error?.description), /mount \/var\/run\/docker\.sock/);

		const refused = await run(
			{ resource: 'container', operation: 'remove', containerId: byId('anything') },
			{ cred: readOnly },
		);
		assert.equal(
			refused.error?.message,
			'Refused: "container remove" would change the Docker host, and this credential is read-only',
		);
		const allowed = await ok({ resource: 'container', operation: 'list' }, { cred: readOnly });
		assert.ok(Array.isArray(allowed));

		// continue on fail: each item gets its own result or error, paired with its input
		const mixed = await run(
			{
				resource: 'container',
				operation: 'inspect',
				containerId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			},
			{ items: [{ id: 'no-such-1' }, { id: 'no-such-2' }], extra: { onError: 'continueRegularOutput' } },
		);
		const items = outputOf(mixed, 'Docker');
		assert.deepEqual(
			items.map((item) => [item.json.error, item.pairedItem]),
			[
				['Inspect container "no-such-1" failed: No such container: no-such-1', { item: 0 }],
				['Inspect container "no-such-2" failed: No such container: no-such-2', { item: 1 }],
			],
		);
	});

	it('loads as a tool for the AI Agent (usableAsTool)', async () => {
		const names = (await n8n.nodeTypes()).map((type) => type.name);
		assert.ok(names.includes('n8n-nodes-homelab.docker'));
		assert.ok(names.includes('n8n-nodes-homelab.dockerTool'));
	});
});
