import assert from 'node:assert/strict';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';

import { parseStatusRanges } from '../../nodes/Homelab/actions/endpoint/checkHttp.operation';
import { probeHttp, probeTcp } from '../../nodes/Homelab/transport/probe';
import { describeError } from '../../shared/errors';
import { freePort } from '../harness/net';
import { selfSignedCertificate } from '../helpers/tls';
import { statusServer, type TestServer } from '../helpers/web-servers';

describe('Homelab endpoint probes against real loopback servers', () => {
	let https200: TestServer;
	let http503: TestServer;
	before(async () => {
		https200 = await statusServer(200, { tls: true, certDays: 10 });
		http503 = await statusServer(503);
	});
	after(async () => {
		await https200.close();
		await http503.close();
	});

	it('reports status and the self-signed certificate of an HTTPS endpoint', async () => {
		const result = await probeHttp(new URL(https200.url), 'GET', { timeoutMs: 5000 });
		assert.equal(result.up, true);
		assert.equal(result.statusCode, 200);
		assert.ok(result.tls, 'tls info present');
		assert.equal(result.tls.authorized, false);
		assert.match(result.tls.authorizationError ?? '', /SELF_SIGNED/);
		assert.equal(result.tls.subject, 'localhost');
		assert.ok(result.tls.daysLeft >= 9 && result.tls.daysLeft <= 10, `daysLeft ${result.tls.daysLeft}`);
		assert.ok(result.tls.subjectAltNames.includes('IP Address:127.0.0.1'));
	});

	it('checks in a row share one kept-alive connection, each still reporting its certificate', async () => {
		const server = https.createServer(selfSignedCertificate('localhost', 10), (_request, response) =>
			response.end('ok'),
		);
		let connections = 0;
		server.on('secureConnection', () => connections++);
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const url = new URL(`https://127.0.0.1:${(server.address() as AddressInfo).port}/`);
			for (let check = 0; check < 3; check++) {
				const result = await probeHttp(url, 'GET', { timeoutMs: 5000 });
				assert.equal(result.statusCode, 200);
				assert.ok(result.tls, `check ${check}: tls info`);
				assert.equal(result.tls.subject, 'localhost');
				assert.equal(result.tls?.authorized, false);
				assert.ok(result.tls.daysLeft >= 9 && result.tls.daysLeft <= 10);
			}
			assert.equal(connections, 1, 'one TLS handshake for three checks');
		} finally {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		}
	});

	it('reports a 503 as up with its status and no TLS block over plain HTTP', async () => {
		const result = await probeHttp(new URL(http503.url), 'HEAD', { timeoutMs: 5000 });
		assert.equal(result.up, true);
		assert.equal(result.statusCode, 503);
		assert.equal(result.tls, undefined);
	});

	it('reports a closed port as down in words, with the code kept apart', async () => {
		const port = await freePort();
		const http = await probeHttp(new URL(`http://127.0.0.1:${port}/`), 'GET', { timeoutMs: 5000 });
		assert.equal(http.up, false);
		assert.equal(http.error, `connection refused (127.0.0.1:${port})`);
		assert.equal(http.errorCode, 'ECONNREFUSED');
		const tcp = await probeTcp('127.0.0.1', port, { timeoutMs: 5000 });
		assert.deepEqual([tcp.up, tcp.errorCode], [false, 'ECONNREFUSED']);
	});

	it('stops waiting when cancelled', async () => {
		// A listening socket that never answers HTTP: only the abort can end the probe early.
		const silent = net.createServer(() => undefined);
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
		const { port } = silent.address() as AddressInfo;
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 100);
		const started = Date.now();
		const result = await probeHttp(new URL(`http://127.0.0.1:${port}/`), 'GET', {
			timeoutMs: 30000,
			signal: controller.signal,
		});
		assert.equal(result.up, false);
		assert.equal(result.error, 'cancelled');
		assert.ok(Date.now() - started < 5000);
		silent.close();
	});

	it('finds a TCP port that listens', async () => {
		const url = new URL(http503.url);
		const result = await probeTcp(url.hostname, Number(url.port), { timeoutMs: 5000 });
		assert.equal(result.up, true);
	});
});

describe('parseStatusRanges', () => {
	it('accepts codes and ranges', () => {
		const ok = parseStatusRanges('200, 204,300-399');
		assert.deepEqual([200, 204, 250, 301, 399, 400].map(ok), [true, true, false, true, true, false]);
	});
	it('rejects what is not a code or range with a reason', () => {
		assert.throws(() => parseStatusRanges('2xx'), /"2xx" is not a status code or range/);
		assert.throws(() => parseStatusRanges('399-200'), /empty range/);
		assert.throws(() => parseStatusRanges(' , '), /no status codes given/);
	});
});

describe('describeError', () => {
	it('never keeps the raw code in the message, so n8n does not swap in a generic sentence', () => {
		const error = Object.assign(new Error('getaddrinfo ENOTFOUND nas.invalid'), {
			code: 'ENOTFOUND',
			hostname: 'nas.invalid',
		});
		assert.equal(describeError(error), 'host name not found in DNS (nas.invalid)');
	});
});
