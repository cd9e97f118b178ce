import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { DockerClient, DockerError, ReadOnlyError, demux } from '../../clients/docker';
import { freePort } from '../harness/net';
import { buildBusyboxImage } from '../helpers/docker-images';
import { startDocker, type DockerService } from '../services/docker';

describe('DockerClient against a real Docker engine', () => {
	let docker: DockerService;
	let client: DockerClient;
	before(async () => {
		docker = await startDocker();
		client = new DockerClient({ connection: 'socket', socketPath: docker.socketPath });
	});
	after(async () => await docker?.stop());

	it('pings and reads version, info and disk usage', async () => {
		const ping = await client.ping();
		assert.equal(ping.ok, true);
		assert.match(ping.apiVersion, /^1\.\d+$/);
		const info = await client.info();
		assert.equal(typeof info.ServerVersion, 'string');
		const df = await client.diskUsage();
		assert.ok(Array.isArray(df.Images));
	});

	it('runs a container through its lifecycle: create, start, logs demuxed, exec, top, stats, wait, remove', async () => {
		const created = await client.createContainer({
			name: 'lifecycle',
			image: docker.busyboxImage,
			cmd: ['sh', '-c', 'echo "to out $GREETING"; echo "to err" >&2; exec sleep 300'],
			env: { GREETING: 'hello' },
			labels: { 'lab.test': 'lifecycle' },
			networkMode: 'none',
			restartPolicy: 'unless-stopped',
		});
		assert.equal(created.name, 'lifecycle');
		assert.deepEqual(await client.startContainer('lifecycle'), { id: 'lifecycle', changed: true });
		assert.deepEqual(await client.startContainer('lifecycle'), { id: 'lifecycle', changed: false });
		const inspected = await client.inspectContainer('lifecycle');
		assert.equal(inspected.State.Running, true);
		assert.equal(inspected.HostConfig.RestartPolicy?.Name, 'unless-stopped');
		assert.ok(inspected.Config.Env.includes('GREETING=hello'));

		// the shell writes both lines right after start, but a loaded machine may take seconds to run it
		let logs = await client.containerLogs('lifecycle');
		for (let attempt = 0; !(logs.stdout && logs.stderr) && attempt < 300; attempt++) {
			await new Promise((resolve) => setTimeout(resolve, 100));
			logs = await client.containerLogs('lifecycle');
		}
		assert.equal(logs.stdout, 'to out hello\n');
		assert.equal(logs.stderr, 'to err\n');
		const stamped = await client.containerLogs('lifecycle', { timestamps: true, stderr: false, tail: 2 });
		assert.match(stamped.stdout, /^\d{4}-\d\d-\d\dT[\d:.]+Z to out hello\n$/);

		// argv, never a shell: the ";" and "$HOME" reach echo untouched
		const exec = await client.exec('lifecycle', ['echo', 'a;b', '$HOME']);
		assert.deepEqual(exec, { exitCode: 0, stdout: 'a;b $HOME\n', stderr: '' });
		const failing = await client.exec('lifecycle', ['sh', '-c', 'echo oops >&2; exit 3']);
		assert.equal(failing.exitCode, 3);
		assert.equal(failing.stderr, 'oops\n');

		const top = await client.top('lifecycle');
		assert.ok(top.titles.includes('CMD') || top.titles.includes('COMMAND'));
		assert.ok(top.processes.some((row) => Object.values(row).some((value) => value.includes('sleep 300'))));

		const stats = await client.stats('lifecycle');
		assert.equal(typeof stats.cpuPercent, 'number');
		assert.equal(typeof stats.memoryUsageBytes, 'number');

		await client.restartContainer('lifecycle', 1);
		assert.equal((await client.inspectContainer('lifecycle')).RestartCount >= 0, true);
		const waiting = client.wait('lifecycle');
		assert.deepEqual(await client.stopContainer('lifecycle', 1), { id: 'lifecycle', changed: true });
		assert.equal((await waiting).statusCode, 137);
		assert.deepEqual(await client.stopContainer('lifecycle', 1), { id: 'lifecycle', changed: false });
		const listed = await client.listContainers({ filters: { label: ['lab.test=lifecycle'] } });
		assert.equal(listed.length, 1);
		assert.equal(listed[0].State, 'exited');
		await client.removeContainer('lifecycle');
		assert.equal((await client.listContainers({ filters: { label: ['lab.test=lifecycle'] } })).length, 0);
	});

	it('publishes ports on a user-defined network', async () => {
		await client.createNetwork({ name: 'ports-net' });
		const port = await freePort();
		await client.createContainer({
			name: 'web-ports',
			image: docker.busyboxImage,
			cmd: ['httpd', '-f', '-p', '80', '-h', '/etc'],
			ports: [`127.0.0.1:${port}:80`],
			networkMode: 'ports-net',
		});
		await client.startContainer('web-ports');
		let status = 0;
		for (let attempt = 0; status !== 200 && attempt < 30; attempt++) {
			status = await fetch(`http://127.0.0.1:${port}/passwd`)
				.then((response) => response.status)
				.catch(() => 0);
			if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
		}
		assert.equal(status, 200);
		await client.removeContainer('web-ports', { force: true });
		await client.removeNetwork('ports-net');
	});

	it('names what failed: a missing container, a conflict, an invalid port', async () => {
		await assert.rejects(client.inspectContainer('no-such-box'), (error: DockerError) => {
			assert.ok(error instanceof DockerError);
			assert.equal(error.statusCode, 404);
			assert.equal(error.message, 'Inspect container "no-such-box" failed: No such container: no-such-box');
			assert.match(error.hint, /list them first/);
			return true;
		});
		await client.createContainer({
			name: 'busy',
			image: docker.busyboxImage,
			cmd: ['sleep', '300'],
			networkMode: 'none',
		});
		await client.startContainer('busy');
		await assert.rejects(client.removeContainer('busy'), (error: DockerError) => {
			assert.equal(error.statusCode, 409);
			assert.match(error.message, /^Remove container "busy" failed: .*running container/i);
			assert.match(error.hint, /stop it first, or use Force/);
			return true;
		});
		await client.removeContainer('busy', { force: true });
		assert.throws(
			() => DockerClient.createBody({ image: 'x', ports: ['80:abc'] }),
			/"80:abc" is not a port mapping/,
		);
		await assert.rejects(client.exec('missing', []), /The command is empty/);
	});

	it('builds, inspects, lists, tags and removes images; prunes dangling ones; a failed pull is worded', async () => {
		const id = await buildBusyboxImage(
			docker.socketPath,
			'local/app:1',
			['LABEL lab.test=image', 'ENV GREETING=hi', 'COPY hello.txt /hello.txt'],
			{
				'hello.txt': 'hello\n',
			},
		);
		const inspected = await client.inspectImage('local/app:1');
		assert.equal(inspected.Id, id);
		assert.equal(inspected.Config.Labels?.['lab.test'], 'image');
		const images = await client.listImages({ filters: { label: ['lab.test=image'] } });
		assert.deepEqual(
			images.map((image) => image.RepoTags),
			[['local/app:1']],
		);
		// rebuilding the tag leaves the old image dangling, which prune removes
		await buildBusyboxImage(docker.socketPath, 'local/app:1', [
			'LABEL lab.test=image',
			'ENV GREETING=changed',
		]);
		const pruned = await client.pruneImages();
		assert.ok(
			(pruned.ImagesDeleted ?? []).some((entry) => entry.Deleted === id),
			JSON.stringify(pruned),
		);
		const removed = await client.removeImage('local/app:1');
		assert.ok(removed.some((entry) => entry.Untagged === 'local/app:1'));
		await assert.rejects(
			client.inspectImage('local/app:1'),
			/Inspect image "local\/app:1" failed: no such image/i,
		);

		const progress: string[] = [];
		const port = await freePort();
		await assert.rejects(
			client.pullImage(`127.0.0.1:${port}/nothing/here:1`, {
				onProgress: (event) => progress.push(event.message),
			}),
			(error: DockerError) => {
				assert.match(
					error.message,
					new RegExp(`^Pull image "127\\.0\\.0\\.1:${port}/nothing/here:1" failed: .*connection refused`),
				);
				return true;
			},
		);
	});

	it('creates, lists, inspects and removes networks and volumes, and prunes them', async () => {
		const network = await client.createNetwork({
			name: 'lab-net',
			labels: { 'lab.test': 'net' },
			internal: true,
			subnet: '10.231.0.0/24',
		});
		assert.ok(network.id);
		const networks = await client.listNetworks({ label: ['lab.test=net'] });
		assert.deepEqual(
			networks.map((entry) => entry.Name),
			['lab-net'],
		);
		const inspected = await client.inspectNetwork('lab-net');
		assert.equal(inspected.Internal, true);
		await client.removeNetwork('lab-net');
		await client.createNetwork({ name: 'lab-unused' });
		const prunedNetworks = await client.pruneNetworks();
		assert.ok(prunedNetworks.NetworksDeleted?.includes('lab-unused'));
		await assert.rejects(client.removeNetwork('lab-net'), /Remove network "lab-net" failed: .*not found/i);

		await client.createVolume({ name: 'lab-data', labels: { 'lab.test': 'vol' } });
		const volumes = await client.listVolumes({ label: ['lab.test=vol'] });
		assert.deepEqual(
			volumes.map((entry) => entry.Name),
			['lab-data'],
		);
		assert.equal((await client.inspectVolume('lab-data')).Driver, 'local');
		await client.removeVolume('lab-data');
		await client.createVolume({ name: 'lab-unused-volume' });
		const prunedVolumes = await client.pruneVolumes();
		assert.ok(prunedVolumes.VolumesDeleted?.includes('lab-unused-volume'), JSON.stringify(prunedVolumes));
	});

	it('an ID cannot reach another object or add a query: "../volumes/x" removes no volume', async () => {
		await client.createVolume({ name: 'xx' });
		await assert.rejects(client.removeContainer('../volumes/xx'), /is not a valid container name or ID/);
		await assert.rejects(client.removeContainer('xx?force=true&'), /is not a valid container name or ID/);
		assert.equal((await client.inspectVolume('xx')).Name, 'xx');
		// a reference with ":" and "/" goes percent-encoded, and the engine still finds it
		assert.ok((await client.inspectImage(docker.busyboxImage)).Id.startsWith('sha256:'));
		await client.removeVolume('xx');
	});

	it('system prune removes stopped containers and unused networks', async () => {
		await client.createContainer({
			name: 'stopped-one',
			image: docker.busyboxImage,
			cmd: ['true'],
			networkMode: 'none',
		});
		await client.createNetwork({ name: 'unused-net' });
		const result = (await client.systemPrune()) as {
			containers: { ContainersDeleted?: string[] };
			networks: { NetworksDeleted?: string[] };
		};
		assert.equal(result.containers.ContainersDeleted?.length, 1);
		assert.ok(result.networks.NetworksDeleted?.includes('unused-net'));
	});

	it('read-only connections refuse every change but still read', async () => {
		const readOnly = new DockerClient({
			connection: 'socket',
			socketPath: docker.socketPath,
			readOnly: true,
		});
		assert.ok((await readOnly.listContainers()).length >= 0);
		await assert.rejects(readOnly.createContainer({ image: docker.busyboxImage }), (error: Error) => {
			assert.ok(error instanceof ReadOnlyError);
			assert.match(
				error.message,
				/^Refused: "Create container from local\/busybox:latest" would change the Docker host, and this credential is read-only$/,
			);
			return true;
		});
		await assert.rejects(readOnly.removeVolume('x'), ReadOnlyError);
		await assert.rejects(readOnly.systemPrune(), ReadOnlyError);
		await assert.rejects(readOnly.exec('x', ['true']), ReadOnlyError);
	});

	it('an unreachable engine is named with its address and what to check', async () => {
		const missing = new DockerClient({ connection: 'socket', socketPath: '/nonexistent/docker.sock' });
		await assert.rejects(missing.ping(), (error: DockerError) => {
			assert.equal(
				error.message,
				'Cannot reach the Docker engine at unix:///nonexistent/docker.sock: no such file or socket',
			);
			assert.equal(error.code, 'ENOENT');
			assert.match(error.hint, /dockerd runs/);
			return true;
		});
		const port = await freePort();
		const tcp = new DockerClient({ connection: 'tcp', host: '127.0.0.1', port });
		await assert.rejects(
			tcp.version(),
			new RegExp(
				`^DockerError: Cannot reach the Docker engine at http://127\\.0\\.0\\.1:${port}: connection refused`,
			),
		);
	});

	it('streams engine events filtered by type and label', async () => {
		const stream = await client.events({ filters: { type: ['container'], label: ['lab.test=events'] } });
		const seen: Array<{ Action: string; Actor: { Attributes: Record<string, string> } }> = [];
		stream.on('data', (chunk: Buffer) => {
			for (const line of chunk.toString().split('\n').filter(Boolean))
				seen.push(JSON.parse(line) as (typeof seen)[number]);
		});
		await client.createContainer({
			name: 'evented',
			image: docker.busyboxImage,
			cmd: ['true'],
			labels: { 'lab.test': 'events' },
			networkMode: 'none',
		});
		await client.createContainer({
			name: 'unlabelled',
			image: docker.busyboxImage,
			cmd: ['true'],
			networkMode: 'none',
		});
		await client.startContainer('evented');
		for (let attempt = 0; !seen.some((event) => event.Action === 'start') && attempt < 50; attempt++)
			await new Promise((resolve) => setTimeout(resolve, 100));
		stream.destroy();
		assert.ok(seen.some((event) => event.Action === 'create' && event.Actor.Attributes.name === 'evented'));
		assert.ok(seen.some((event) => event.Action === 'start'));
		assert.ok(!seen.some((event) => event.Actor.Attributes.name === 'unlabelled'));
	});

	it('a cancelled execution stops exec and wait in flight', async () => {
		await client.createContainer({
			name: 'long',
			image: docker.busyboxImage,
			cmd: ['sleep', '300'],
			networkMode: 'none',
		});
		await client.startContainer('long');
		const cancelled = (error: Error) => {
			assert.match(error.message, /was cancelled$/);
			return true;
		};
		const abortSoon = () => AbortSignal.timeout(300);
		const started = Date.now();
		await assert.rejects(client.exec('long', ['sleep', '30'], { signal: abortSoon() }), cancelled);
		await assert.rejects(client.wait('long', 'not-running', abortSoon()), cancelled);
		assert.ok(Date.now() - started < 10000, 'both returned long before the commands would end');
		await client.removeContainer('long', { force: true });
	});

	it('demux splits the multiplexed stream and passes TTY output through', () => {
		const frame = (type: number, text: string) => {
			const payload = Buffer.from(text);
			const header = Buffer.alloc(8);
			header[0] = type;
			header.writeUInt32BE(payload.length, 4);
			return Buffer.concat([header, payload]);
		};
		assert.deepEqual(demux(Buffer.concat([frame(1, 'a\n'), frame(2, 'b\n'), frame(1, 'c\n')])), {
			stdout: 'a\nc\n',
			stderr: 'b\n',
		});
		assert.deepEqual(demux(Buffer.from('plain tty\n'), true), { stdout: 'plain tty\n', stderr: '' });
	});
});
