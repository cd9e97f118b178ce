import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';

import { checkDockerId, DockerClient, DockerError, dockerPathId } from '../../clients/docker';

/** An engine stand-in on a unix socket that records the method and raw path of every request it gets. */
async function recorder(): Promise<{ socketPath: string; requests: string[]; close(): Promise<void> }> {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'docker-ids-'));
	const socketPath = path.join(dir, 'engine.sock');
	const requests: string[] = [];
	const server = http.createServer((request, response) => {
		requests.push(`${request.method} ${request.url}`);
		request.resume();
		response.writeHead(404, { 'content-type': 'application/json' });
		response.end(JSON.stringify({ message: 'No such object' }));
	});
	await new Promise<void>((resolve) => server.listen(socketPath, resolve));
	return {
		socketPath,
		requests,
		close: async () => {
			await new Promise<void>((resolve) => server.close(() => resolve()));
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

const invalid = (kind: string) => (error: unknown) => {
	assert.ok(error instanceof DockerError, String(error));
	assert.equal(error.code, 'INVALID_ID');
	assert.match(error.message, new RegExp(`is not a valid ${kind} name or ID`));
	assert.match(error.hint, /nothing was sent to the Docker engine/);
	return true;
};

describe('Docker names and IDs in Engine API paths', () => {
	let engine: Awaited<ReturnType<typeof recorder>>;
	let client: DockerClient;
	before(async () => {
		engine = await recorder();
		client = new DockerClient({ connection: 'socket', socketPath: engine.socketPath });
	});
	beforeEach(() => engine.requests.splice(0));
	after(async () => await engine?.close());

	it('refuses traversal and query injection before any request', async () => {
		await assert.rejects(client.removeContainer('../volumes/x'), invalid('container'));
		await assert.rejects(client.removeContainer('web?force=true&'), invalid('container'));
		await assert.rejects(client.inspectContainer('web#frag'), invalid('container'));
		await assert.rejects(client.stopContainer('a/b'), invalid('container'));
		await assert.rejects(client.exec('..', ['ls']), invalid('container'));
		await assert.rejects(client.removeVolume('../containers/web'), invalid('volume'));
		await assert.rejects(client.inspectVolume('data%2F..'), invalid('volume'));
		await assert.rejects(client.removeNetwork('net?force=1'), invalid('network'));
		await assert.rejects(client.removeImage('../../containers/web'), invalid('image'));
		await assert.rejects(client.inspectImage('nginx:1.27?x=1'), invalid('image'));
		await assert.rejects(client.pullImage('nginx:latest&fromSrc=x'), invalid('image'));
		await assert.rejects(client.inspectContainer(''), invalid('container'));
		assert.deepEqual(engine.requests, []);
	});

	it('sends valid names percent-encoded, image references with their "/" separators', async () => {
		await assert.rejects(client.inspectContainer('/stack-web-1'), /No such object/);
		await assert.rejects(client.removeVolume('stack_data.v1'), /No such object/);
		await assert.rejects(client.inspectImage('localhost:5000/team/app:1.0'), /No such object/);
		await assert.rejects(client.inspectImage('nginx@sha256:' + 'a'.repeat(64)), /No such object/);
		assert.deepEqual(engine.requests, [
			'GET /containers/stack-web-1/json',
			'DELETE /volumes/stack_data.v1',
			'GET /images/localhost%3A5000/team/app%3A1.0/json',
			`GET /images/nginx%40sha256%3A${'a'.repeat(64)}/json`,
		]);
	});

	it("follows the engine's rules for each kind", () => {
		for (const name of ['web', 'a', '3f2a9c1b7e4d', 'stack-media_web.1', '/web'])
			assert.equal(checkDockerId('container', name), name);
		for (const name of ['-web', '.', '..', 'we b', 'web\n', 'wëb', 'a/b'])
			assert.throws(() => checkDockerId('container', name), invalid('container'));
		for (const name of ['nginx', 'nginx:1.27', 'ghcr.io/owner/app:v1', '[::1]:5000/app', 'sha256:abc123'])
			assert.equal(checkDockerId('image', name), name);
		for (const name of ['Nginx', 'nginx:', 'a//b', '/nginx', 'nginx:-x', 'a/../b', 'app@sha256:xyz'])
			assert.throws(() => checkDockerId('image', name), invalid('image'));
		assert.throws(() => checkDockerId('exec', 'abc'), invalid('exec'));
		assert.equal(dockerPathId('exec', 'f'.repeat(64)), 'f'.repeat(64));
		assert.equal(dockerPathId('container', '/web'), 'web');
	});
});
