import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { CaddyRouteProvider } from '../../clients/edge/caddy';
import { PowerDnsRecordProvider } from '../../clients/edge/powerdns';
import type { EdgeError } from '../../clients/edge/types';
import { startEdge, type EdgeServices } from '../services/edge';

describe('edge providers against real Caddy 2.6 and PowerDNS 4.7', () => {
	let edge: EdgeServices;
	let routes: CaddyRouteProvider;
	let records: PowerDnsRecordProvider;
	before(async () => {
		edge = await startEdge();
		routes = new CaddyRouteProvider({
			adminUrl: edge.caddy.adminUrl,
			server: edge.caddy.server,
			issuer: edge.caddy.issuer,
		});
		records = new PowerDnsRecordProvider({
			apiUrl: edge.dns.apiUrl,
			apiKey: edge.dns.apiKey,
			zone: edge.dns.zone,
		});
	});
	after(async () => await edge?.stop());

	it('Caddy: refuses to add a route while the catch-all TLS policy points at a public CA (no outbound ACME)', async () => {
		// no route has a host yet, so Caddy has no name to order a certificate for while the policy is public
		const policy = `${edge.caddy.adminUrl}/config/apps/tls/automation/policies/0/issuers`;
		const original = await (await fetch(policy)).text();
		const patched = await fetch(policy, {
			method: 'PATCH',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify([{ module: 'acme' }]),
		});
		assert.equal(patched.status, 200, await patched.text());
		try {
			await assert.rejects(
				routes.upsert({ hostname: 'app.lab.test', upstream: 'http://127.0.0.1:9' }),
				(error: EdgeError) =>
					error.kind === 'provider' && /catch-all TLS automation policy uses a public CA/.test(error.message),
			);
			assert.deepEqual(await routes.list(), []);
		} finally {
			await fetch(policy, {
				method: 'PATCH',
				headers: { 'content-type': 'application/json' },
				body: original,
			});
		}
	});

	it('Caddy: upsert is idempotent, list shows only owned routes, remove deletes', async () => {
		assert.deepEqual(await routes.list(), []);
		assert.deepEqual(await routes.upsert({ hostname: 'app.lab.test', upstream: 'http://127.0.0.1:9' }), {
			changed: true,
		});
		assert.deepEqual(await routes.upsert({ hostname: 'App.lab.test', upstream: 'http://127.0.0.1:9' }), {
			changed: false,
		});
		assert.deepEqual(await routes.list(), [{ hostname: 'app.lab.test', upstream: 'http://127.0.0.1:9' }]);
		assert.deepEqual(await routes.upsert({ hostname: 'app.lab.test', upstream: 'http://127.0.0.1:10' }), {
			changed: true,
		});
		assert.deepEqual(await routes.list(), [{ hostname: 'app.lab.test', upstream: 'http://127.0.0.1:10' }]);
		assert.deepEqual(await routes.remove('app.lab.test'), { changed: true });
		assert.deepEqual(await routes.remove('app.lab.test'), { changed: false });
		assert.deepEqual(await routes.list(), []);
	});

	it('PowerDNS: upsert is idempotent, list shows only owned records, remove deletes', async () => {
		assert.deepEqual(await records.list(), []);
		const record = { name: 'app.lab.test', type: 'A' as const, value: '127.0.0.1', ttl: 60 };
		assert.deepEqual(await records.upsert(record), { changed: true });
		assert.deepEqual(await records.upsert(record), { changed: false });
		assert.deepEqual(await records.list(), [record]);
		assert.deepEqual(await records.remove('app.lab.test', 'A'), { changed: true });
		assert.deepEqual(await records.remove('app.lab.test', 'A'), { changed: false });
		assert.deepEqual(await records.list(), []);
	});

	it('Caddy: routes survive a restart (autosave + caddy run --resume)', async () => {
		await routes.upsert({ hostname: 'kept.lab.test', upstream: 'http://127.0.0.1:9' });
		await edge.caddy.restart();
		assert.deepEqual(await routes.list(), [{ hostname: 'kept.lab.test', upstream: 'http://127.0.0.1:9' }]);
		await routes.remove('kept.lab.test');
	});

	it('Caddy: a route it does not own is left alone and its hostname is a conflict', async () => {
		const added = await fetch(`${edge.caddy.adminUrl}/config/apps/http/servers/${edge.caddy.server}/routes`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				match: [{ host: ['theirs.lab.test'] }],
				handle: [{ handler: 'static_response', body: 'theirs' }],
			}),
		});
		assert.equal(added.status, 200, await added.text());
		assert.deepEqual(await routes.list(), []);
		await assert.rejects(
			routes.upsert({ hostname: 'theirs.lab.test', upstream: 'http://127.0.0.1:9' }),
			(error: EdgeError) =>
				error.kind === 'conflict' &&
				/theirs\.lab\.test is already served by a route this node does not manage/.test(error.message),
		);
		assert.deepEqual(await routes.remove('theirs.lab.test'), { changed: false });
	});

	it('Caddy: an invalid upstream is refused before anything is written', async () => {
		for (const upstream of ['127.0.0.1:80', 'ftp://x:1', 'http://x:1/path', 'not a url']) {
			await assert.rejects(
				routes.upsert({ hostname: 'bad.lab.test', upstream }),
				(error: EdgeError) => error.kind === 'invalid' && /invalid upstream/.test(error.message),
			);
		}
	});

	it('PowerDNS: a record it does not own is a conflict and never removed; records survive a restart', async () => {
		const patched = await fetch(`${edge.dns.apiUrl}/api/v1/servers/localhost/zones/lab.test.`, {
			method: 'PATCH',
			headers: { 'x-api-key': edge.dns.apiKey, 'content-type': 'application/json' },
			body: JSON.stringify({
				rrsets: [
					{
						name: 'theirs.lab.test.',
						type: 'A',
						ttl: 60,
						changetype: 'REPLACE',
						records: [{ content: '10.0.0.9', disabled: false }],
					},
				],
			}),
		});
		assert.equal(patched.status, 204, await patched.text());
		await assert.rejects(
			records.upsert({ name: 'theirs.lab.test', type: 'A', value: '127.0.0.1' }),
			(error: EdgeError) =>
				error.kind === 'conflict' &&
				/already has a A record this node does not manage \(10\.0\.0\.9\)/.test(error.message),
		);
		assert.deepEqual(await records.remove('theirs.lab.test', 'A'), { changed: false });
		await assert.rejects(
			records.upsert({ name: 'app.example.com', type: 'A', value: '127.0.0.1' }),
			/outside the zone lab\.test/,
		);
		await records.upsert({ name: 'kept.lab.test', type: 'A', value: '127.0.0.1' });
		await edge.dns.restart();
		assert.deepEqual(await records.list(), [
			{ name: 'kept.lab.test', type: 'A', value: '127.0.0.1', ttl: 300 },
		]);
		await records.remove('kept.lab.test', 'A');
	});

	it('a provider that is down is reported as unreachable, naming where', async () => {
		await edge.caddy.halt();
		try {
			await assert.rejects(
				routes.list(),
				(error: EdgeError) =>
					error.kind === 'unreachable' &&
					error.message.includes(`Caddy at ${edge.caddy.adminUrl} is not reachable: connection refused`) &&
					/connection refused/.test(error.message),
			);
		} finally {
			await edge.caddy.start();
		}
	});

	it('PowerDNS: a wrong API key is refused with an auth error', async () => {
		const wrong = new PowerDnsRecordProvider({
			apiUrl: edge.dns.apiUrl,
			apiKey: 'nope',
			zone: edge.dns.zone,
		});
		await assert.rejects(
			wrong.list(),
			(error: EdgeError) => error.kind === 'auth' && /refused the API key/.test(error.message),
		);
	});
});
