// A minimal Docker Registry HTTP API V2 (https://distribution.github.io/distribution/spec/api/) serving images
// taken from a local dockerd with `docker save`, so `docker pull` can be tested without the internet. It
// implements what a pull uses: the version check (GET /v2/), manifests by tag or digest (GET/HEAD
// /v2/<name>/manifests/<reference>, schema 2: application/vnd.docker.distribution.manifest.v2+json) and blobs
// (GET/HEAD /v2/<name>/blobs/<digest>), and answers unknown names, tags and blobs with 404 and the spec's error
// codes (NAME_UNKNOWN, MANIFEST_UNKNOWN, BLOB_UNKNOWN). dockerd talks plain HTTP to it because 127.0.0.0/8
// registries are insecure-allowed by default. Pushing is not implemented (the tests publish from the engine).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';

import { DockerClient } from '../../clients/docker';
import { collect } from '../../clients/docker/streams';

const MANIFEST_V2 = 'application/vnd.docker.distribution.manifest.v2+json';

const digestOf = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

export interface RegistrySimulator {
	/** host:port, the prefix of image references (127.0.0.1:PORT/lab/web:1) */
	host: string;
	/** Publishes the local image `localTag` of the engine at `socketPath` as `<name>:<tag>`; returns its image ID. */
	publish(socketPath: string, localTag: string, name: string, tag: string): Promise<string>;
	requests: string[];
	close(): Promise<void>;
}

export async function startRegistry(): Promise<RegistrySimulator> {
	const blobs = new Map<string, Buffer>();
	const manifests = new Map<string, Buffer>(); // "<name>:<tag>" and "<name>@<digest>"
	const requests: string[] = [];
	const error = (response: http.ServerResponse, status: number, code: string, message: string) => {
		response.writeHead(status, { 'content-type': 'application/json' });
		response.end(JSON.stringify({ errors: [{ code, message, detail: null }] }));
	};
	const server = http.createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://registry');
		requests.push(`${request.method} ${url.pathname}`);
		response.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
		if (request.method !== 'GET' && request.method !== 'HEAD')
			return error(response, 405, 'UNSUPPORTED', 'this registry is read-only');
		if (url.pathname === '/v2/' || url.pathname === '/v2') {
			response.writeHead(200, { 'content-type': 'application/json' });
			return response.end('{}');
		}
		const match = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
		if (!match) return error(response, 404, 'NAME_UNKNOWN', 'repository name not known to registry');
		const [, name, kind, reference] = match;
		const send = (body: Buffer, type: string, digest: string) => {
			response.writeHead(200, {
				'content-type': type,
				'content-length': body.length,
				'docker-content-digest': digest,
				etag: `"${digest}"`,
			});
			response.end(request.method === 'HEAD' ? undefined : body);
		};
		if (kind === 'manifests') {
			const key = reference.startsWith('sha256:') ? `${name}@${reference}` : `${name}:${reference}`;
			const manifest = manifests.get(key);
			if (!manifest)
				return error(response, 404, 'MANIFEST_UNKNOWN', `manifest unknown: ${name}:${reference}`);
			return send(manifest, MANIFEST_V2, digestOf(manifest));
		}
		const blob = blobs.get(reference);
		if (!blob) return error(response, 404, 'BLOB_UNKNOWN', `blob unknown to registry: ${reference}`);
		send(blob, 'application/octet-stream', reference);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;

	const publish = async (socketPath: string, localTag: string, name: string, tag: string) => {
		const client = new DockerClient({ connection: 'socket', socketPath });
		const saved = await collect((await client.docker.getImage(localTag).get()) as unknown as Readable);
		const dir = mkdtempSync(path.join(os.tmpdir(), 'homelab-registry-'));
		try {
			writeFileSync(path.join(dir, 'image.tar'), saved);
			execFileSync('tar', ['-xf', 'image.tar'], { cwd: dir });
			const [entry] = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Array<{
				Config: string;
				Layers: string[];
			}>;
			const config = readFileSync(path.join(dir, entry.Config));
			blobs.set(digestOf(config), config);
			const layers = entry.Layers.map((layer) => {
				const gz = gzipSync(readFileSync(path.join(dir, layer)));
				blobs.set(digestOf(gz), gz);
				return {
					mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
					size: gz.length,
					digest: digestOf(gz),
				};
			});
			const manifest = Buffer.from(
				JSON.stringify({
					schemaVersion: 2,
					mediaType: MANIFEST_V2,
					config: {
						mediaType: 'application/vnd.docker.container.image.v1+json',
						size: config.length,
						digest: digestOf(config),
					},
					layers,
				}),
			);
			manifests.set(`${name}:${tag}`, manifest);
			manifests.set(`${name}@${digestOf(manifest)}`, manifest);
			return digestOf(config);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	};
	return {
		host,
		publish,
		requests,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
