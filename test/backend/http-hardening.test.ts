// The HTTP layer against hostile clients: query secrets in logs, slow bodies, SSE cursors and headers, 500s,
// Docker host names that are Object.prototype keys.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';

import { createServices } from '../../backend/src/services';
import type { Store } from '../../backend/src/store/types';
import { startApi, type LiveApi } from './api-server';

/** the status line a raw HTTP exchange ends with, or 'open' if the server still holds the socket after `ms` */
function rawExchange(url: string, head: string, bodyPart: string, ms: number): Promise<string> {
	const { hostname, port } = new URL(url);
	return new Promise((resolve) => {
		const socket = net.connect(Number(port), hostname, () => socket.write(head + bodyPart));
		let answer = '';
		socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
		const timer = setTimeout(() => {
			socket.destroy();
			resolve('open');
		}, ms);
		socket.on('close', () => {
			clearTimeout(timer);
			resolve(answer.split('\r\n')[0] ?? '');
		});
	});
}

describe('backend HTTP hardening (issue 16)', () => {
	let api: LiveApi;
	let failing = false;
	before(async () => {
		api = await startApi({
			config: { requestTimeoutMs: 1500 },
			services: createServices({ docker: { hosts: { lab: { socketPath: '/nonexistent/docker.sock' } } } }),
			wrapStore: (store) =>
				new Proxy(store, {
					get(target, key: keyof Store) {
						if (key === 'countByStatus' && failing)
							return () => Promise.reject(new Error('SQLITE_IOERR at /var/secret/internal/path.sqlite'));
						const value = target[key];
						return typeof value === 'function'
							? (value as (...args: unknown[]) => unknown).bind(target)
							: value;
					},
				}),
		});
	});
	after(async () => {
		await api.close();
	});

	it('redacts secrets in query strings from request logs', async () => {
		for (const [name, value] of [
			['token', 'query-token-value-1'],
			['api_key', 'query-key-value-2'],
			['password', 'query-password-value-3'],
			['signature', 'query-signature-value-4'],
		])
			await api.call('GET', `/v1/jobs?${name}=${value}&limit=1`);
		await fetch(`${api.url}/v1/info?token=query-token-unauthenticated`);
		const logs = api.logs();
		assert.match(logs, /\/v1\/jobs\?token=\[redacted\]&limit=1/);
		for (const value of [
			'query-token-value-1',
			'query-key-value-2',
			'query-password-value-3',
			'query-signature-value-4',
			'query-token-unauthenticated',
		])
			assert.ok(!logs.includes(value), value);
	});

	it('cuts an authenticated request whose body never completes (408)', async () => {
		const head = [
			'POST /v1/jobs HTTP/1.1',
			`host: ${new URL(api.url).host}`,
			`authorization: Bearer ${api.token}`,
			'content-type: application/json',
			'content-length: 1000',
			'',
			'',
		].join('\r\n');
		assert.match(await rawExchange(api.url, head, '{"type":"sel', 60_000), /^HTTP\/1\.1 408/);
		// and the server goes on answering
		assert.equal((await api.call('GET', '/v1/jobs')).status, 200);
	});

	it('SSE: sends its headers at once, and refuses a Last-Event-ID that is not an event id', async () => {
		for (const bad of ['abc', '-1', '1e3', '1.5', '99999999999999999999', ' '])
			assert.equal(
				(
					await api.call('GET', '/v1/jobs/00000000-0000-4000-8000-000000000000/events', undefined, {
						'last-event-id': bad,
					})
				).status,
				404,
				'an unknown job is 404 first',
			);
		const submitted = (await (
			await api.call('POST', '/v1/jobs', { type: 'selftest', input: { steps: 1, sleepMs: 600_000 } })
		).json()) as { id: string };
		for (const bad of ['abc', '-1', '1e3', '1.5', '99999999999999999999']) {
			const response = await api.call('GET', `/v1/jobs/${submitted.id}/events`, undefined, {
				'last-event-id': bad,
			});
			assert.equal(response.status, 400, bad);
			assert.match(((await response.json()) as { error: string }).error, /Last-Event-ID/);
		}
		// past every event so far: nothing to send until the job moves, the stream is open all the same
		const opened = await Promise.race([
			api.call('GET', `/v1/jobs/${submitted.id}/events`, undefined, { 'last-event-id': '999999' }),
			new Promise<'no headers'>((resolve) => setTimeout(() => resolve('no headers'), 10_000)),
		]);
		assert.notEqual(opened, 'no headers');
		assert.equal((opened as Response).headers.get('content-type'), 'text/event-stream; charset=utf-8');
		await (opened as Response).body?.cancel();
		await api.call('POST', `/v1/jobs/${submitted.id}/cancel`);
	});

	it('answers a 500 with a generic message and a request id; the details only in the log', async () => {
		failing = true;
		const response = await api.call('GET', '/metrics');
		failing = false;
		assert.equal(response.status, 500);
		const body = (await response.json()) as { error: string; requestId: string };
		assert.ok(!JSON.stringify(body).includes('/var/secret'), body.error);
		assert.match(body.error, /internal error.*request id/);
		assert.ok(body.requestId);
		const line = api
			.logs()
			.split('\n')
			.find((entry) => entry.includes('SQLITE_IOERR'));
		assert.ok(line?.includes(`"reqId":"${body.requestId}"`), line);
	});

	it('Docker host names that are Object.prototype keys are unknown hosts (400)', async () => {
		for (const host of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
			const response = await api.call('POST', '/v1/jobs', {
				type: 'deploy-stack',
				input: { host, project: 'x', compose: 'services: {}' },
			});
			assert.equal(response.status, 400, host);
			assert.match(
				((await response.json()) as { error: string }).error,
				/neither a name in services\.docker\.hosts \(lab\)/,
			);
		}
		const known = await api.call('POST', '/v1/jobs', {
			type: 'deploy-stack',
			input: { host: 'lab', project: 'x', compose: 'services: {}' },
		});
		assert.equal(known.status, 201);
	});
});
