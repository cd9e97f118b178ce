import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { certificateCovers, NpmRouteProvider, NPM_OWNER } from '../../clients/edge/npm';
import type { EdgeError } from '../../clients/edge/types';
import { freePort } from '../harness/net';
import { startNpmSimulator, type NpmHost, type NpmSimulator } from '../simulators/edge-npm';

const USER_HOST: NpmHost = {
	id: 1,
	domain_names: ['media.lab.test'],
	forward_scheme: 'http',
	forward_host: '10.0.0.5',
	forward_port: 8096,
	certificate_id: 1,
	ssl_forced: true,
	http2_support: true,
	block_exploits: true,
	allow_websocket_upgrade: true,
	caching_enabled: false,
	access_list_id: 0,
	advanced_config: '',
	enabled: true,
	meta: { nginx_online: true, nginx_err: null },
	locations: [],
	hsts_enabled: false,
	hsts_subdomains: false,
};

const kindIs = (kind: string, pattern: RegExp) => (error: EdgeError) => {
	assert.equal(error.kind, kind, error.message);
	assert.match(error.message, pattern);
	return true;
};

describe('Nginx Proxy Manager proxy hosts (simulated NPM API)', () => {
	let npm: NpmSimulator;
	let routes: NpmRouteProvider;
	before(async () => {
		npm = await startNpmSimulator({ users: { 'admin@lab.test': 'secret' } });
	});
	after(async () => await npm.close());
	beforeEach(() => {
		npm.hosts.splice(0, npm.hosts.length, structuredClone(USER_HOST));
		npm.certificates.splice(0, npm.certificates.length, {
			id: 1,
			provider: 'other',
			nice_name: 'lab wildcard',
			domain_names: ['*.lab.test'],
			expires_on: new Date(Date.now() + 60 * 86_400_000).toISOString(),
			meta: {},
		});
		npm.nginxRejects.clear();
		npm.requests.length = 0;
		routes = new NpmRouteProvider({ url: npm.url, email: 'admin@lab.test', password: 'secret' });
	});

	it('upsert creates a marked host with the wildcard certificate; repeat is a no-op; a new upstream updates it', async () => {
		assert.deepEqual(await routes.list(), []);
		assert.deepEqual(await routes.upsert({ hostname: 'App.lab.test', upstream: 'http://127.0.0.1:8096' }), {
			changed: true,
		});
		assert.deepEqual(await routes.upsert({ hostname: 'app.lab.test', upstream: 'http://127.0.0.1:8096' }), {
			changed: false,
		});
		const created = npm.hosts.find((host) => host.domain_names[0] === 'app.lab.test');
		assert.equal(created?.certificate_id, 1);
		assert.equal(created?.ssl_forced, true);
		assert.equal(created?.meta.managed_by, NPM_OWNER);
		assert.deepEqual(await routes.upsert({ hostname: 'app.lab.test', upstream: 'https://10.0.0.9:8920' }), {
			changed: true,
		});
		assert.deepEqual(await routes.list(), [{ hostname: 'app.lab.test', upstream: 'https://10.0.0.9:8920' }]);
		assert.equal(npm.hosts.length, 2);
		assert.deepEqual(npm.hosts[0], USER_HOST);
	});

	it('remove deletes only our host and is idempotent', async () => {
		await routes.upsert({ hostname: 'app.lab.test', upstream: 'http://127.0.0.1:8096' });
		assert.deepEqual(await routes.remove('app.lab.test'), { changed: true });
		assert.deepEqual(await routes.remove('app.lab.test'), { changed: false });
		assert.deepEqual(await routes.remove('media.lab.test'), { changed: false });
		assert.deepEqual(npm.hosts, [USER_HOST]);
	});

	it("refuses a hostname a user's host serves, and one no certificate covers", async () => {
		await assert.rejects(
			routes.upsert({ hostname: 'media.lab.test', upstream: 'http://127.0.0.1:1' }),
			kindIs('conflict', /media\.lab\.test is already served by proxy host #1/),
		);
		await assert.rejects(
			routes.upsert({ hostname: 'app.other.test', upstream: 'http://127.0.0.1:1' }),
			kindIs(
				'provider',
				/no valid certificate covering app\.other\.test; add one \(e\.g\. a wildcard \*\.other\.test\)/,
			),
		);
		npm.certificates[0].expires_on = new Date(Date.now() - 86_400_000).toISOString();
		await assert.rejects(
			routes.upsert({ hostname: 'app.lab.test', upstream: 'http://127.0.0.1:1' }),
			kindIs('provider', /no valid certificate covering app\.lab\.test/),
		);
		const plain = new NpmRouteProvider({
			url: npm.url,
			email: 'admin@lab.test',
			password: 'secret',
			certificate: 'none',
		});
		assert.deepEqual(await plain.upsert({ hostname: 'app.lab.test', upstream: 'http://127.0.0.1:1' }), {
			changed: true,
		});
		assert.equal(npm.hosts.find((host) => host.domain_names[0] === 'app.lab.test')?.ssl_forced, false);
	});

	it('when nginx rejects the generated config the change is undone and the error quotes nginx', async () => {
		npm.nginxRejects.add('app.lab.test');
		await assert.rejects(
			routes.upsert({ hostname: 'app.lab.test', upstream: 'http://127.0.0.1:8096' }),
			kindIs(
				'provider',
				/nginx rejected the configuration for app\.lab\.test, change undone: .*nginx: \[emerg\]/,
			),
		);
		assert.deepEqual(npm.hosts, [USER_HOST]);
	});

	it('logs in again after the token expired; bad credentials and a down NPM are errors in words', async () => {
		await routes.list();
		npm.expireTokens();
		assert.deepEqual(await routes.list(), []);
		assert.equal(npm.requests.filter((line) => line === 'POST /api/tokens').length, 2);
		const wrong = new NpmRouteProvider({ url: npm.url, email: 'admin@lab.test', password: 'x' });
		await assert.rejects(
			wrong.list(),
			kindIs('auth', /refused the login of admin@lab\.test: HTTP 401: Invalid email or password/),
		);
		await assert.rejects(
			routes.upsert({ hostname: 'app.lab.test', upstream: 'tcp://127.0.0.1:1' }),
			kindIs('invalid', /invalid upstream/),
		);
		const down = new NpmRouteProvider({
			url: `http://127.0.0.1:${await freePort()}`,
			email: 'a',
			password: 'b',
		});
		await assert.rejects(
			down.list(),
			kindIs('unreachable', /Nginx Proxy Manager at .* is not reachable: connection refused/),
		);
	});

	it('the simulator rejects what NPM rejects', async () => {
		const token = (
			(await (
				await fetch(`${npm.url}/api/tokens`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ identity: 'admin@lab.test', secret: 'secret' }),
				})
			).json()) as { token: string }
		).token;
		const post = async (body: unknown) =>
			await fetch(`${npm.url}/api/nginx/proxy-hosts`, {
				method: 'POST',
				headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
		const base = {
			domain_names: ['x.lab.test'],
			forward_scheme: 'http',
			forward_host: 'h',
			forward_port: 80,
		};
		assert.equal((await post({ ...base, domain_names: ['media.lab.test'] })).status, 400);
		assert.equal((await post({ ...base, forward_port: 70000 })).status, 400);
		assert.equal((await post({ ...base, unknown: 1 })).status, 400);
		assert.equal((await post({ domain_names: ['x.lab.test'] })).status, 400);
		assert.equal((await fetch(`${npm.url}/api/nginx/proxy-hosts`)).status, 401);
		assert.deepEqual(npm.hosts, [USER_HOST]);
	});
});

describe('certificateCovers', () => {
	it('matches exact names and one-label wildcards only', () => {
		assert.equal(certificateCovers('*.lab.test', 'app.lab.test'), true);
		assert.equal(certificateCovers('*.lab.test', 'a.b.lab.test'), false);
		assert.equal(certificateCovers('*.lab.test', 'lab.test'), false);
		assert.equal(certificateCovers('App.lab.test', 'app.lab.test'), true);
	});
});
