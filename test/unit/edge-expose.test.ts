import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';

import { CaddyRouteProvider } from '../../clients/edge/caddy';
import {
	ExposeError,
	exposeService,
	unexposeService,
	type EdgeProgress,
	type ExposeOptions,
} from '../../clients/edge/expose';
import { PowerDnsRecordProvider } from '../../clients/edge/powerdns';
import type { RecordProvider } from '../../clients/edge/types';
import { verify } from '../../clients/edge/verify';
import { freePort } from '../harness/net';
import { testCa, type TestCa } from '../helpers/edge-certs';
import { startEdge, type EdgeServices } from '../services/edge';

// exposeService/unexposeService against real Caddy 2.6, Pebble and PowerDNS 4.7: every step that can fail is
// made to fail for real (a foreign record or route, an upstream that is down, a DNS server that does not
// answer, a CA that is down, a cancel) and the test reads both servers back to prove the rollback.

describe('exposeService: record, route, certificate and verify as one step, rolled back on failure', () => {
	let edge: EdgeServices;
	let routes: CaddyRouteProvider;
	let records: PowerDnsRecordProvider;
	let upstream: http.Server;
	let upstreamUrl: string;
	let ca: TestCa;
	let options: (hostname: string, extra?: Partial<ExposeOptions>) => ExposeOptions;

	before(async () => {
		edge = await startEdge();
		ca = testCa();
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
		upstream = http.createServer((request, response) =>
			response.writeHead(request.url === '/health' ? 200 : 404).end('ok'),
		);
		await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
		upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
		options = (hostname, extra = {}) => ({
			hostname,
			upstream: upstreamUrl,
			address: '127.0.0.1',
			labDomain: 'lab.test',
			routes,
			records,
			ttl: 60,
			certificateTimeoutMs: 90000,
			verify: {
				dnsServer: edge.dns.dnsServer,
				caBundle: edge.pebble.rootPem,
				caName: 'Pebble',
				port: edge.caddy.httpsPort,
				healthPath: '/health',
				timeoutMs: 3000,
			},
			...extra,
		});
	});
	after(async () => {
		upstream?.close();
		ca?.dispose();
		await edge?.stop();
	});

	const hostnamesHeld = async () => ({
		routes: (await routes.list()).map((route) => `${route.hostname} -> ${route.upstream}`).sort(),
		records: (await records.list()).map((record) => `${record.type} ${record.name}`).sort(),
	});

	it('exposes a service: record, route, a certificate from the lab CA, verified from the client side', async () => {
		const steps: EdgeProgress['step'][] = [];
		const result = await exposeService(options('app.lab.test', { onProgress: (p) => steps.push(p.step) }));
		assert.deepEqual(steps, ['check', 'record', 'route', 'certificate', 'verify', 'done']);
		assert.deepEqual(result.changed, { route: true, record: true });
		assert.match(
			result.message,
			/^exposed https:\/\/app\.lab\.test: wrote A app\.lab\.test -> 127\.0\.0\.1, wrote the route/,
		);
		assert.equal(result.report.ok, true);
		assert.match(result.report.certificate?.issuer ?? '', /Pebble/);
		assert.deepEqual(await hostnamesHeld(), {
			routes: [`app.lab.test -> ${upstreamUrl}`],
			records: ['A app.lab.test'],
		});
	});

	it('a second expose of the same service changes nothing and says so', async () => {
		const result = await exposeService(options('App.Lab.Test.'));
		assert.deepEqual(result.changed, { route: false, record: false });
		assert.equal(
			result.message,
			'app.lab.test was already exposed exactly like this: nothing changed; it verifies from the client side',
		);
		assert.equal(result.report.ok, true);
	});

	it('bad input is refused before anything is read or written', async () => {
		await assert.rejects(exposeService(options('app.example.com')), {
			kind: 'invalid',
			message: 'app.example.com is outside the lab domain lab.test: use <name>.lab.test',
		});
		await assert.rejects(exposeService(options('x.lab.test', { upstream: 'ftp://nas:21' })), {
			kind: 'invalid',
			message: 'invalid upstream "ftp://nas:21": expected http://host:port or https://host:port',
		});
		await assert.rejects(exposeService(options('x.lab.test', { address: 'proxy.lab' })), { kind: 'invalid' });
	});

	it('record step: a record the node does not own stops the expose, nothing was changed', async () => {
		const zone = `${edge.dns.apiUrl}/api/v1/servers/localhost/zones/lab.test.`;
		const foreign = await fetch(zone, {
			method: 'PATCH',
			headers: { 'x-api-key': edge.dns.apiKey, 'content-type': 'application/json' },
			body: JSON.stringify({
				rrsets: [
					{
						name: 'nas.lab.test.',
						type: 'A',
						ttl: 60,
						changetype: 'REPLACE',
						records: [{ content: '10.0.0.9', disabled: false }],
					},
				],
			}),
		});
		assert.equal(foreign.status, 204, await foreign.text());
		const error = await exposeService(options('nas.lab.test')).catch((e: unknown) => e);
		assert.ok(error instanceof ExposeError);
		assert.equal(error.kind, 'conflict');
		assert.equal(error.step, 'record');
		assert.match(
			error.message,
			/^exposing nas\.lab\.test failed at the record step: .*already has a A record this node does not manage \(10\.0\.0\.9\).*; nothing was changed$/,
		);
		assert.deepEqual(await hostnamesHeld(), {
			routes: [`app.lab.test -> ${upstreamUrl}`],
			records: ['A app.lab.test'],
		});
	});

	it('route step: a route the node does not own rolls the new record back', async () => {
		const userRoute = {
			'@id': 'user-wiki',
			match: [{ host: ['wiki.lab.test'] }],
			handle: [{ handler: 'static_response', body: 'mine' }],
		};
		const added = await fetch(`${edge.caddy.adminUrl}/config/apps/http/servers/${edge.caddy.server}/routes`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(userRoute),
		});
		assert.equal(added.status, 200, await added.text());
		try {
			const error = await exposeService(options('wiki.lab.test')).catch((e: unknown) => e);
			assert.ok(error instanceof ExposeError);
			assert.equal(error.kind, 'conflict');
			assert.equal(error.step, 'route');
			assert.deepEqual(error.rolledBack, [`deleted the A record wiki.lab.test from ${records.description}`]);
			assert.match(error.message, /already served by a route this node does not manage \(@id user-wiki\)/);
			assert.match(error.message, /; rolled back: deleted the A record wiki\.lab\.test from PowerDNS/);
			assert.deepEqual((await hostnamesHeld()).records, ['A app.lab.test']);
		} finally {
			await fetch(`${edge.caddy.adminUrl}/id/user-wiki`, { method: 'DELETE' });
		}
	});

	it('when rolling back fails too, the error says what to fix by hand', async () => {
		const stuck: RecordProvider = {
			description: records.description,
			list: () => records.list(),
			upsert: (record) => records.upsert(record),
			remove: () => Promise.reject(new Error('PowerDNS went away')),
		};
		await fetch(`${edge.caddy.adminUrl}/config/apps/http/servers/${edge.caddy.server}/routes`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ '@id': 'user-git', match: [{ host: ['git.lab.test'] }], handle: [] }),
		});
		try {
			const error = await exposeService(options('git.lab.test', { records: stuck })).catch((e: unknown) => e);
			assert.ok(error instanceof ExposeError);
			assert.deepEqual(error.rolledBack, []);
			assert.match(
				error.message,
				/; rolling back failed, fix by hand: could not have deleted the A record git\.lab\.test from PowerDNS at .*: PowerDNS went away$/,
			);
		} finally {
			await fetch(`${edge.caddy.adminUrl}/id/user-git`, { method: 'DELETE' });
			await records.remove('git.lab.test', 'A');
		}
	});

	it('verify step: an upstream that is down rolls back route and record (502 named)', async () => {
		const down = `http://127.0.0.1:${await freePort()}`;
		const error = await exposeService(options('media.lab.test', { upstream: down })).catch((e: unknown) => e);
		assert.ok(error instanceof ExposeError);
		assert.equal(error.kind, 'verify');
		assert.equal(error.step, 'verify');
		assert.match(error.message, /HTTP: GET https:\/\/media\.lab\.test:\d+\/health answered 502 Bad Gateway/);
		assert.deepEqual(error.rolledBack, [
			`removed the route for media.lab.test from ${routes.description}`,
			`deleted the A record media.lab.test from ${records.description}`,
		]);
		assert.equal(error.report?.http?.status, 502);
		assert.deepEqual(await hostnamesHeld(), {
			routes: [`app.lab.test -> ${upstreamUrl}`],
			records: ['A app.lab.test'],
		});
	});

	it('re-exposing with an upstream that is down restores the route it replaced', async () => {
		const down = `http://127.0.0.1:${await freePort()}`;
		const error = await exposeService(options('app.lab.test', { upstream: down })).catch((e: unknown) => e);
		assert.ok(error instanceof ExposeError);
		assert.deepEqual(error.rolledBack, [
			`restored the route app.lab.test -> ${upstreamUrl} in ${routes.description}`,
		]);
		assert.deepEqual(await hostnamesHeld(), {
			routes: [`app.lab.test -> ${upstreamUrl}`],
			records: ['A app.lab.test'],
		});
		const report = await verify({ ...options('app.lab.test').verify, hostname: 'app.lab.test' });
		assert.equal(report.ok, true);
	});

	it('certificate step: a lab DNS server that does not answer ends the wait and rolls back', async () => {
		const silent = `127.0.0.1:${await freePort()}`;
		const base = options('docs.lab.test');
		const error = await exposeService({
			...base,
			certificateTimeoutMs: 4000,
			verify: { ...base.verify, dnsServer: silent, timeoutMs: 1000 },
		}).catch((e: unknown) => e);
		assert.ok(error instanceof ExposeError);
		assert.equal(error.step, 'certificate');
		assert.match(
			error.message,
			new RegExp(
				`no trusted certificate for docs\\.lab\\.test after 4 s: .*DNS: the DNS server ${silent} did not answer`,
			),
		);
		assert.equal(error.rolledBack.length, 2);
		assert.deepEqual(await hostnamesHeld(), {
			routes: [`app.lab.test -> ${upstreamUrl}`],
			records: ['A app.lab.test'],
		});
	});

	it('cancelling during the certificate wait rolls back at once', async () => {
		const controller = new AbortController();
		const base = options('cancel.lab.test');
		const started = Date.now();
		const error = await exposeService({
			...base,
			// a bundle the proxy's certificate never chains to: the wait could only end by its 90 s timeout
			verify: { ...base.verify, caBundle: ca.caPem },
			signal: controller.signal,
			onProgress: (p) => {
				if (p.step === 'certificate') setTimeout(() => controller.abort(), 1500);
			},
		}).catch((e: unknown) => e);
		assert.ok(error instanceof ExposeError);
		assert.equal(error.kind, 'cancelled');
		assert.equal(error.step, 'certificate');
		assert.ok(Date.now() - started < 60000, 'ended by the cancel, not by the certificate timeout');
		assert.equal(error.rolledBack.length, 2);
		assert.deepEqual((await hostnamesHeld()).routes, [`app.lab.test -> ${upstreamUrl}`]);
	});

	it('a signal aborted before the start changes nothing', async () => {
		const error = await exposeService(
			options('early.lab.test', { signal: AbortSignal.abort(new Error('user stopped it')) }),
		).catch((e: unknown) => e);
		assert.ok(error instanceof ExposeError);
		assert.equal(error.kind, 'cancelled');
		assert.match(
			error.message,
			/failed at the record step: cancelled \(user stopped it\); nothing was changed$/,
		);
		assert.deepEqual((await hostnamesHeld()).records, ['A app.lab.test']);
	});

	it('PowerDNS down: the check step names it and nothing was changed', async () => {
		await edge.dns.halt();
		try {
			const error = await exposeService(options('down.lab.test')).catch((e: unknown) => e);
			assert.ok(error instanceof ExposeError);
			assert.equal(error.kind, 'unreachable');
			assert.equal(error.step, 'check');
			assert.match(
				error.message,
				/^exposing down\.lab\.test failed at the check step: PowerDNS at http:\/\/127\.0\.0\.1:\d+ \(zone lab\.test\) is not reachable: .*; nothing was changed$/,
			);
		} finally {
			await edge.dns.start();
		}
		assert.deepEqual(
			(await routes.list()).map((route) => route.hostname),
			['app.lab.test'],
		);
	});

	it('unexpose removes route and record; a second unexpose changes nothing', async () => {
		const first = await unexposeService({ hostname: 'app.lab.test', routes, records });
		assert.deepEqual(first.changed, { route: true, records: ['A'] });
		assert.match(
			first.message,
			/^unexposed app\.lab\.test: removed the route from Caddy .*, deleted A app\.lab\.test from PowerDNS/,
		);
		assert.deepEqual(await hostnamesHeld(), { routes: [], records: [] });
		const report = await verify({ ...options('app.lab.test').verify, hostname: 'app.lab.test' });
		assert.match(report.checks[0].message, /^DNS: no A record for app\.lab\.test/);
		const second = await unexposeService({ hostname: 'app.lab.test', routes, records });
		assert.deepEqual(second.changed, { route: false, records: [] });
		assert.equal(second.message, 'app.lab.test was not exposed by this node: nothing changed');
	});

	it('CA down: the certificate is never issued, the wait ends naming TLS and everything is rolled back', async () => {
		await edge.pebble.halt();
		const error = await exposeService(options('late.lab.test', { certificateTimeoutMs: 6000 })).catch(
			(e: unknown) => e,
		);
		assert.ok(error instanceof ExposeError);
		assert.equal(error.step, 'certificate', error.message);
		assert.match(
			error.message,
			/no trusted certificate for late\.lab\.test after 6 s: late\.lab\.test does not work from the client side: TLS: the proxy has no certificate to serve for late\.lab\.test/,
		);
		assert.deepEqual(error.rolledBack, [
			`removed the route for late.lab.test from ${routes.description}`,
			`deleted the A record late.lab.test from ${records.description}`,
		]);
		assert.deepEqual(await hostnamesHeld(), { routes: [], records: [] });
	});
});
