import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';

import { CaddyRouteProvider } from '../../clients/edge/caddy';
import { waitForCertificate } from '../../clients/edge/expose';
import { PowerDnsRecordProvider } from '../../clients/edge/powerdns';
import { verify, type VerifyOptions, type VerifyReport } from '../../clients/edge/verify';
import { freePort } from '../harness/net';
import { testCa, type TestCa } from '../helpers/edge-certs';
import { startEdge, type EdgeServices } from '../services/edge';

const DAY = 86_400_000;

function failed(report: VerifyReport): string[] {
	return report.checks.filter((check) => !check.ok && !check.skipped).map((check) => check.message);
}

async function listen(server: http.Server | https.Server): Promise<number> {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return (server.address() as AddressInfo).port;
}

describe('verify(): DNS, proxy, TLS and HTTP checked from the client side (real Caddy, Pebble, PowerDNS)', () => {
	let edge: EdgeServices;
	let records: PowerDnsRecordProvider;
	let base: Omit<VerifyOptions, 'hostname'>;
	let ca: TestCa;
	const servers: (http.Server | https.Server)[] = [];
	before(async () => {
		edge = await startEdge();
		ca = testCa();
		const routes = new CaddyRouteProvider({
			adminUrl: edge.caddy.adminUrl,
			server: edge.caddy.server,
			issuer: edge.caddy.issuer,
		});
		records = new PowerDnsRecordProvider({
			apiUrl: edge.dns.apiUrl,
			apiKey: edge.dns.apiKey,
			zone: edge.dns.zone,
		});
		const upstream = http.createServer((request, response) => {
			response.writeHead(request.url === '/health' ? 200 : 404).end('ok');
		});
		servers.push(upstream);
		const upstreamPort = await listen(upstream);
		base = {
			dnsServer: edge.dns.dnsServer,
			caBundle: edge.pebble.rootPem,
			caName: 'Pebble',
			port: edge.caddy.httpsPort,
			healthPath: '/health',
			timeoutMs: 3000,
		};
		for (const [name, port] of [
			['app', upstreamPort],
			['broken', await freePort()],
		] as const) {
			await records.upsert({ name: `${name}.lab.test`, type: 'A', value: '127.0.0.1', ttl: 60 });
			await routes.upsert({ hostname: `${name}.lab.test`, upstream: `http://127.0.0.1:${port}` });
			await waitForCertificate({ ...base, hostname: `${name}.lab.test` }, 90000);
		}
	});
	after(async () => {
		for (const server of servers) server.close();
		ca?.dispose();
		await edge?.stop();
	});

	it('passes every check for a route with a record and a certificate from the lab CA', async () => {
		const report = await verify({ ...base, hostname: 'app.lab.test', expectedAddress: '127.0.0.1' });
		assert.deepEqual(failed(report), []);
		assert.equal(report.ok, true);
		assert.deepEqual(
			report.checks.map((check) => check.check),
			['dns', 'proxy', 'tls', 'http'],
		);
		assert.equal(report.http?.status, 200);
		assert.deepEqual(report.certificate?.names, ['app.lab.test']);
		assert.match(report.certificate?.issuer ?? '', /Pebble/);
		assert.ok((report.certificate?.daysLeft ?? 0) > 7);
	});

	it('missing record: DNS fails, naming the server; the rest is skipped', async () => {
		const report = await verify({ ...base, hostname: 'missing.lab.test' });
		assert.equal(report.ok, false);
		assert.deepEqual(failed(report), [`DNS: no A record for missing.lab.test at ${edge.dns.dnsServer}`]);
		assert.deepEqual(
			report.checks.filter((check) => check.skipped).map((check) => check.check),
			['proxy', 'tls', 'http'],
		);
	});

	it('wrong IP: DNS fails with the address found and the one expected', async () => {
		await records.upsert({ name: 'wrong.lab.test', type: 'A', value: '127.0.0.2' });
		const report = await verify({ ...base, hostname: 'wrong.lab.test', expectedAddress: '127.0.0.1' });
		assert.deepEqual(failed(report), [
			`DNS: wrong.lab.test resolves to 127.0.0.2 at ${edge.dns.dnsServer}, expected 127.0.0.1`,
		]);
	});

	it('proxy down: nothing listens at the address and port', async () => {
		const port = await freePort();
		const report = await verify({ ...base, hostname: 'app.lab.test', port });
		assert.deepEqual(failed(report), [
			`Proxy: nothing accepts connections at 127.0.0.1:${port} for app.lab.test: connection refused (127.0.0.1:${port})`,
		]);
	});

	it('untrusted certificate: the chain does not lead to the configured CA bundle', async () => {
		const report = await verify({
			...base,
			hostname: 'app.lab.test',
			caBundle: ca.caPem,
			caName: 'Edge Test CA',
		});
		assert.equal(failed(report).length, 1);
		assert.match(
			failed(report)[0],
			/^TLS: served a certificate not issued by Edge Test CA: issuer "Pebble Intermediate CA [0-9a-f]+", subject "app\.lab\.test" \(its issuer is not in the CA bundle\)$/,
		);
	});

	it('expired certificate: says when it expired', async () => {
		const expired = ca.issue(
			['app.lab.test'],
			new Date(Date.now() - 30 * DAY),
			new Date(Date.now() - 2 * DAY),
		);
		const server = https.createServer({ key: expired.key, cert: expired.cert }, (_request, response) =>
			response.end('ok'),
		);
		servers.push(server);
		const report = await verify({
			...base,
			hostname: 'app.lab.test',
			caBundle: ca.caPem,
			port: await listen(server),
		});
		assert.equal(failed(report).length, 1);
		assert.match(
			failed(report)[0],
			/^TLS: the certificate for app\.lab\.test expired on \d{4}-\d\d-\d\dT.* \(2 days ago\)$/,
		);
	});

	it('wrong name: a trusted certificate for another host', async () => {
		const other = ca.issue(['other.lab.test'], new Date(Date.now() - DAY), new Date(Date.now() + 60 * DAY));
		const server = https.createServer({ key: other.key, cert: other.cert }, (_request, response) =>
			response.end('ok'),
		);
		servers.push(server);
		const report = await verify({
			...base,
			hostname: 'app.lab.test',
			caBundle: ca.caPem,
			port: await listen(server),
		});
		assert.deepEqual(failed(report), ['TLS: the certificate is for other.lab.test, not app.lab.test']);
	});

	it('a certificate expiring sooner than minDaysValid fails the TLS check', async () => {
		const report = await verify({ ...base, hostname: 'app.lab.test', minDaysValid: 100_000 });
		assert.match(
			failed(report)[0] ?? '',
			/^TLS: the certificate for app\.lab\.test expires in \d+ days .* less than 100000$/,
		);
	});

	it('upstream 502: DNS, proxy and TLS pass, HTTP names the status', async () => {
		const report = await verify({ ...base, hostname: 'broken.lab.test' });
		assert.deepEqual(
			report.checks.map((check) => check.ok),
			[true, true, true, false],
		);
		assert.match(
			failed(report)[0],
			/^HTTP: GET https:\/\/broken\.lab\.test:\d+\/health answered 502 Bad Gateway \(the proxy could not reach the upstream\) in \d+ ms$/,
		);
		assert.equal(report.http?.status, 502);
	});

	it('no certificate for the name: the handshake failure is reported as TLS', async () => {
		await records.upsert({ name: 'noroute.lab.test', type: 'A', value: '127.0.0.1' });
		const report = await verify({ ...base, hostname: 'noroute.lab.test' });
		assert.match(
			failed(report)[0] ?? '',
			/^TLS: the proxy has no certificate to serve for noroute\.lab\.test/,
		);
	});
});
