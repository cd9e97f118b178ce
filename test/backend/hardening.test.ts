// Issue 16's backend findings, each replayed against a live API: nesting, secrets at rest and in answers,
// idempotency conflicts, callback targets, host names, log redaction, timeouts, SSE, 500s, weak tokens.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { openSqliteStore } from '../../backend/src/store/sqlite';
import { nested, runCli, startApi, type LiveApi } from './api-server';

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
});
