// Issue 16's backend findings, each replayed against a live API: nesting, secrets at rest and in answers,
// idempotency conflicts, callback targets, host names, log redaction, timeouts, SSE, 500s, weak tokens.
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type Server } from 'node:http';
import { statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { CallbackTargets, DEFAULT_CALLBACK_ALLOW } from '../../backend/src/engine/callback-target';
import { openSqliteStore } from '../../backend/src/store/sqlite';
import { nested, runCli, startApi, type LiveApi } from './api-server';
import { until } from './helpers';

const mode = (file: string) => statSync(file).mode & 0o777;

describe('backend hardening (issue 16)', () => {
	let api: LiveApi;
	before(async () => {
		api = await startApi();
	});
	after(async () => {
		await api.close();
	});

	it('refuses input nested too deep at the door (400), and a deep input already stored does not break readers', async () => {
		const refused = await api.call('POST', '/v1/jobs', {
			type: 'selftest',
			input: { steps: 1, echo: nested(4000) },
		});
		assert.equal(refused.status, 400);
		assert.match(((await refused.json()) as { error: string }).error, /nests more than 32 levels deep/);
		const wide = await api.call('POST', '/v1/jobs', {
			type: 'selftest',
			input: { steps: 1, echo: Array.from({ length: 30_000 }, () => 0) },
		});
		assert.equal(wide.status, 400);
		assert.match(((await wide.json()) as { error: string }).error, /more than 20000 values/);

		// what an older backend let in: straight into the store
		const { job } = await api.store.insertJob({
			id: '00000000-0000-4000-8000-000000004000',
			type: 'selftest',
			input: { steps: 1, echo: nested(4000) },
			lockKeys: [],
		});
		const list = await api.call('GET', '/v1/jobs');
		assert.equal(list.status, 200);
		const listed = (await list.json()) as { jobs: Array<{ id: string; input: unknown }> };
		assert.ok(listed.jobs.some((entry) => entry.id === job.id));
		const one = await api.call('GET', `/v1/jobs/${job.id}`);
		assert.equal(one.status, 200);
		assert.match(await one.text(), /\[nested too deep\]/);
		const cli = await runCli(api, 'jobs');
		assert.equal(cli.code, 0, cli.out);
		assert.match(cli.out, new RegExp(job.id));
		const shown = await runCli(api, 'job', job.id);
		assert.match(shown.out, new RegExp(job.id));
	});

	it('answers 409 when an idempotency key is reused for another type or input', async () => {
		const first = { type: 'selftest', input: { steps: 1, echo: 'a' }, idempotencyKey: 'key-409' };
		assert.equal((await api.call('POST', '/v1/jobs', first)).status, 201);
		assert.equal((await api.call('POST', '/v1/jobs', first)).status, 200);
		const other = await api.call('POST', '/v1/jobs', { ...first, input: { steps: 1, echo: 'b' } });
		assert.equal(other.status, 409);
		assert.match(((await other.json()) as { error: string }).error, /idempotency key already used/);
		const otherType = await api.call('POST', '/v1/jobs', {
			...first,
			type: 'deploy-stack',
			input: { host: 'h', project: 'p', compose: 'services: {}' },
		});
		assert.equal(otherType.status, 409);
	});

	it('creates the SQLite store 0600 (with its -wal and -shm) in a 0700 folder, and tightens an existing one', async () => {
		const file = path.join(api.dir, 'fresh', 'nested', 'store.sqlite');
		const store = openSqliteStore(file);
		await store.migrate();
		await store.insertJob({ id: '00000000-0000-4000-8000-000000000600', type: 't', input: {}, lockKeys: [] });
		try {
			for (const part of [file, `${file}-wal`, `${file}-shm`]) assert.equal(mode(part), 0o600, part);
			assert.equal(mode(path.dirname(file)), 0o700);
			assert.equal(mode(path.join(api.dir, 'fresh')), 0o700);
		} finally {
			await store.close();
		}
		const { chmodSync } = await import('node:fs');
		chmodSync(file, 0o644);
		const reopened = openSqliteStore(file);
		assert.equal(mode(file), 0o600);
		await reopened.close();
	});

	it('redacts secret inputs by schema (env values, compose, cloud-init password) and never shows resume-URL signatures', async () => {
		const signature = 'sig0123456789abcdefSIGNATURE';
		const submitted = await api.call('POST', '/v1/jobs', {
			type: 'deploy-stack',
			input: {
				host: 'docker1',
				project: 'web',
				compose:
					'services:\n  db:\n    image: postgres\n    environment: [POSTGRES_PASSWORD=inline-compose-pw]\n',
				env: { API_KEY: 'env-api-key-value', PW: 'env-pw-value', PLAIN: 'plain-value' },
			},
			callbackUrl: `http://127.0.0.1:9/webhook-waiting/42?signature=${signature}`,
		});
		assert.equal(submitted.status, 201);
		const submittedText = await submitted.text();
		const { id } = JSON.parse(submittedText) as { id: string };
		const provision = await api.call('POST', '/v1/jobs', {
			type: 'provision-vm',
			input: {
				node: 'pve',
				template: 9000,
				name: 'vm1',
				cloudInit: { user: 'u', ip: 'dhcp', password: 'ci-pw-value' },
			},
		});
		assert.equal(provision.status, 201);
		const answers = [
			submittedText,
			await (await api.call('GET', `/v1/jobs/${id}`)).text(),
			await (await api.call('GET', '/v1/jobs?limit=500')).text(),
			await (await api.call('GET', `/v1/jobs/${id}/events`)).text(),
		].join('\n');
		for (const secret of ['inline-compose-pw', 'env-api-key-value', 'env-pw-value', 'ci-pw-value', signature])
			assert.ok(!answers.includes(secret) && !api.logs().includes(secret), secret);
		const job = (await (await api.call('GET', `/v1/jobs/${id}`)).json()) as {
			input: { compose: string; env: Record<string, string> };
		};
		assert.deepEqual(job.input.env, { API_KEY: '[redacted]', PW: '[redacted]', PLAIN: '[redacted]' });
		assert.equal(job.input.compose, '[redacted]');
	});

	it('refuses link-local and metadata callback targets in every spelling, and userinfo URLs, at submit (400)', async () => {
		for (const target of [
			'http://169.254.169.254/latest/meta-data',
			'http://0xa9fea9fe/',
			'http://2852039166/',
			'http://0251.0376.0251.0376/',
			'http://[::ffff:169.254.169.254]/',
			'http://[fe80::1]/',
			'http://[fe9f::1]/',
			'http://x@169.254.169.254/',
			'http://user:pw@127.0.0.1/',
			'http://8.8.8.8/outside-the-default-allow-list',
		]) {
			const response = await api.call('POST', '/v1/jobs', {
				type: 'selftest',
				input: { steps: 1 },
				callbackUrl: `${target}?signature=do-not-echo`,
			});
			assert.equal(response.status, 400, target);
			const { error } = (await response.json()) as { error: string };
			assert.match(error, /callbackUrl/, target);
			assert.ok(!error.includes('do-not-echo'), error);
		}
		const allowed = await api.call('POST', '/v1/jobs', {
			type: 'selftest',
			input: { steps: 1 },
			callbackUrl: 'http://127.0.0.1:9/webhook-waiting/1',
		});
		assert.equal(allowed.status, 201);
	});

	describe('callbacks at send time', () => {
		let sender: LiveApi;
		let elsewhere = 0;
		const servers: Server[] = [];
		const listen = async (handler: Parameters<typeof createHttpServer>[1]) => {
			const server = createHttpServer(handler);
			servers.push(server);
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
		};
		let resolutions = 0;
		before(async () => {
			// n8n.lab resolves to loopback at submit, then to the metadata address (DNS rebinding)
			const lookup = async (hostname: string) =>
				hostname === 'n8n.lab'
					? [{ address: resolutions++ === 0 ? '127.0.0.1' : '169.254.169.254', family: 4 }]
					: [{ address: '127.0.0.1', family: 4 }];
			sender = await startApi({
				engine: {
					callbackTargets: new CallbackTargets(DEFAULT_CALLBACK_ALLOW, lookup),
					callbackMaxAttempts: 1,
				},
			});
		});
		after(async () => {
			await sender.close();
			for (const server of servers) server.close();
		});
		const callbackOutcome = (id: string) =>
			until(`callback of ${id}`, async () => {
				const job = (await (await sender.call('GET', `/v1/jobs/${id}`)).json()) as {
					callback: { state: string };
				};
				return job.callback.state === 'pending' ? undefined : job.callback.state;
			});
		const submit = async (callbackUrl: string) => {
			const response = await sender.call('POST', '/v1/jobs', {
				type: 'selftest',
				input: { steps: 1 },
				callbackUrl,
			});
			assert.equal(response.status, 201, await response.clone().text());
			return ((await response.json()) as { id: string }).id;
		};

		it('never follows a redirect', async () => {
			const target = await listen((_request, response) => {
				elsewhere++;
				response.end();
			});
			const redirecting = await listen((_request, response) => {
				response.writeHead(307, { location: `${target}/stolen` });
				response.end();
			});
			const id = await submit(`${redirecting}/webhook-waiting/1`);
			assert.equal(await callbackOutcome(id), 'failed');
			assert.equal(elsewhere, 0, 'the redirect target got nothing');
		});

		it('checks the address again after DNS resolution at send time', async () => {
			let received = 0;
			const n8n = await listen((_request, response) => {
				received++;
				response.end();
			});
			const id = await submit(`http://n8n.lab:${new URL(n8n).port}/webhook-waiting/2`);
			assert.equal(await callbackOutcome(id), 'failed');
			assert.equal(received, 0);
			assert.ok(resolutions >= 2, 'resolved at submit and again at send');
		});
	});
});
