import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';

import { parse } from 'yaml';

import { temporaryNameFor, writeFileAtomic } from '../../clients/edge/atomic-file';
import { TraefikRouteProvider, TRAEFIK_FILE_MARKER } from '../../clients/edge/traefik';
import { validateTraefikDynamicConfig } from '../../clients/edge/traefik-schema';
import type { EdgeError } from '../../clients/edge/types';
import { freePort } from '../harness/net';
import { startTraefikSimulator, type TraefikSimulator } from '../simulators/edge-traefik';

const FOREIGN = `http:
  routers:
    dashboard:
      rule: Host(\`traefik.lab.test\`)
      service: api@internal
    media:
      rule: Host(\`media.lab.test\`) && PathPrefix(\`/\`)
      service: media
  services:
    media:
      loadBalancer:
        servers:
          - url: http://10.0.0.5:8096
`;

const kindIs = (kind: string, pattern: RegExp) => (error: EdgeError) => {
	assert.equal(error.kind, kind, error.message);
	assert.match(error.message, pattern);
	return true;
};

describe('Traefik file provider (simulated Traefik: strict file decoding + read-only API)', () => {
	let directory: string;
	let traefik: TraefikSimulator;
	let routes: TraefikRouteProvider;
	before(async () => {
		directory = mkdtempSync(path.join(os.tmpdir(), 'traefik-dynamic-'));
		traefik = await startTraefikSimulator(directory);
	});
	after(async () => {
		await traefik.close();
		rmSync(directory, { recursive: true, force: true });
	});
	beforeEach(() => {
		for (const name of readdirSync(directory)) rmSync(path.join(directory, name));
		writeFileSync(path.join(directory, 'user.yml'), FOREIGN);
		routes = new TraefikRouteProvider({ directory, apiUrl: traefik.apiUrl, confirmTimeoutMs: 3000 });
	});
	afterEach(() => assert.equal(readFileSync(path.join(directory, 'user.yml'), 'utf8'), FOREIGN));

	it('upsert writes one validated file, Traefik loads the router, a second upsert changes nothing', async () => {
		assert.deepEqual(await routes.list(), []);
		const first = await routes.upsert({ hostname: 'App.Lab.Test', upstream: 'http://127.0.0.1:8096' });
		assert.equal(first.changed, true);
		assert.equal(first.confirmation, 'loaded');
		const text = readFileSync(path.join(directory, 'homelab-app.lab.test.yml'), 'utf8');
		assert.ok(text.startsWith(`${TRAEFIK_FILE_MARKER}\n`));
		assert.deepEqual(validateTraefikDynamicConfig(parse(text)), []);
		const router = (await (
			await fetch(`${traefik.apiUrl}/api/http/routers/homelab-app.lab.test@file`)
		).json()) as {
			status: string;
			rule: string;
		};
		assert.equal(router.status, 'enabled');
		assert.equal(router.rule, 'Host(`app.lab.test`)');

		const second = await routes.upsert({ hostname: 'app.lab.test', upstream: 'http://127.0.0.1:8096' });
		assert.deepEqual([second.changed, second.confirmation], [false, 'loaded']);
		assert.deepEqual(await routes.list(), [{ hostname: 'app.lab.test', upstream: 'http://127.0.0.1:8096' }]);
		// only the two files: no temporary left behind
		assert.deepEqual(readdirSync(directory).sort(), ['homelab-app.lab.test.yml', 'user.yml']);
	});

	it('a changed upstream rewrites the file; remove deletes only our file and is idempotent', async () => {
		await routes.upsert({ hostname: 'app.lab.test', upstream: 'http://127.0.0.1:8096' });
		const changed = await routes.upsert({ hostname: 'app.lab.test', upstream: 'https://10.0.0.9:8920' });
		assert.equal(changed.changed, true);
		assert.deepEqual(await routes.list(), [{ hostname: 'app.lab.test', upstream: 'https://10.0.0.9:8920' }]);
		const removed = await routes.remove('app.lab.test');
		assert.deepEqual([removed.changed, removed.confirmation], [true, 'removed']);
		assert.equal((await routes.remove('app.lab.test')).changed, false);
		assert.deepEqual(await routes.list(), []);
		// the user's routers are still served
		const names = (
			(await (await fetch(`${traefik.apiUrl}/api/http/routers`)).json()) as { name: string }[]
		).map((router) => router.name);
		assert.deepEqual(names.sort(), ['dashboard@file', 'media@file']);
	});

	it("refuses a hostname a user's file already routes, and a same-named file without the marker", async () => {
		await assert.rejects(
			routes.upsert({ hostname: 'media.lab.test', upstream: 'http://127.0.0.1:1' }),
			kindIs('conflict', /media\.lab\.test is already routed by user\.yml/),
		);
		const squatter = path.join(directory, 'homelab-app.lab.test.yml');
		writeFileSync(squatter, 'http: {}\n');
		await assert.rejects(
			routes.upsert({ hostname: 'app.lab.test', upstream: 'http://127.0.0.1:1' }),
			kindIs('conflict', /homelab-app\.lab\.test\.yml exists but was not written by this node/),
		);
		assert.equal((await routes.remove('app.lab.test')).changed, false);
		assert.equal(readFileSync(squatter, 'utf8'), 'http: {}\n');
		rmSync(squatter);
	});

	it('bad input is refused before anything is written', async () => {
		await assert.rejects(
			routes.upsert({ hostname: 'app.lab.test', upstream: 'ftp://127.0.0.1:21' }),
			kindIs('invalid', /invalid upstream "ftp:\/\/127\.0\.0\.1:21"/),
		);
		await assert.rejects(
			routes.upsert({ hostname: 'bad_host!.lab.test', upstream: 'http://127.0.0.1:1' }),
			kindIs('invalid', /invalid hostname/),
		);
		const badEntryPoints = new TraefikRouteProvider({ directory, entryPoints: [''] });
		await assert.rejects(
			badEntryPoints.upsert({ hostname: 'app.lab.test', upstream: 'http://127.0.0.1:1' }),
			kindIs('invalid', /Traefik would reject it.*entryPoints: expected a list of non-empty strings/),
		);
		assert.deepEqual(readdirSync(directory), ['user.yml']);
	});

	it('one broken file drops every file route in Traefik: the upsert fails naming that file, and rolls back', async () => {
		// the failure mode the validation exists for, reproduced in the simulator first
		writeFileSync(path.join(directory, 'zz-typo.yml'), 'http:\n  routers:\n    x:\n      rulez: Host(`x`)\n');
		const all = (await (await fetch(`${traefik.apiUrl}/api/http/routers`)).json()) as unknown[];
		assert.deepEqual(all, []);
		assert.match(traefik.lastError() ?? '', /field not found, node: rulez/);
		await assert.rejects(
			routes.upsert({ hostname: 'app.lab.test', upstream: 'http://127.0.0.1:8096' }),
			kindIs(
				'provider',
				/did not load router homelab-app\.lab\.test@file.*zz-typo\.yml: .*unknown field "rulez"/,
			),
		);
		assert.deepEqual(readdirSync(directory).sort(), ['user.yml', 'zz-typo.yml']);
		assert.deepEqual(await routes.invalidFiles(), [
			{
				file: 'zz-typo.yml',
				problems: [
					'http.routers.x: unknown field "rulez" (Traefik: field not found)',
					'http.routers.x.rule: required (a string such as Host(`app.lab.test`))',
					'http.routers.x.service: required (the name of a service)',
				],
			},
		]);
		rmSync(path.join(directory, 'zz-typo.yml'));
	});

	it('without a reachable API the file is still written and the result says it was not confirmed', async () => {
		const down = new TraefikRouteProvider({ directory, apiUrl: `http://127.0.0.1:${await freePort()}` });
		const result = await down.upsert({ hostname: 'app.lab.test', upstream: 'http://127.0.0.1:8096' });
		assert.deepEqual([result.changed, result.confirmation], [true, 'api-unreachable']);
		const offline = new TraefikRouteProvider({ directory });
		assert.equal(
			(await offline.upsert({ hostname: 'app.lab.test', upstream: 'http://127.0.0.1:8096' })).confirmation,
			'api-not-configured',
		);
		await offline.remove('app.lab.test');
	});

	it('a missing directory is reported in words', async () => {
		const missing = new TraefikRouteProvider({ directory: path.join(directory, 'nope') });
		await assert.rejects(missing.list(), kindIs('unreachable', /cannot read the directory: .*no such file/));
	});
});

describe('writeFileAtomic', () => {
	it('replaces the file in one step and its temporary name is one Traefik ignores', async () => {
		const directory = mkdtempSync(path.join(os.tmpdir(), 'atomic-'));
		try {
			const target = path.join(directory, 'a.yml');
			writeFileSync(target, 'old');
			assert.match(path.basename(temporaryNameFor(target)), /^\.a\.yml\.\d+\.[0-9a-f]{8}\.tmp$/);
			await writeFileAtomic(target, 'new');
			assert.equal(readFileSync(target, 'utf8'), 'new');
			assert.deepEqual(readdirSync(directory), ['a.yml']);
			await assert.rejects(writeFileAtomic(path.join(directory, 'missing', 'b.yml'), 'x'), /ENOENT/);
		} finally {
			rmSync(directory, { recursive: true, force: true });
		}
	});
});
