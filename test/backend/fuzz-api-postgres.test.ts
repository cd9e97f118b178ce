// The backend API fuzz (see fuzz-run.ts) against a live backend on PostgreSQL 15, which refuses what SQLite
// stores: a NUL byte in a text column (an idempotency key, a job type, ?type=%00) must answer 400, not the
// database's error as a 500.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { startPostgres, type PostgresService } from '../services/postgres';
import { BackendProcess, TOKEN } from './backend-process';
import { fuzzBackend } from './fuzz-run';

describe('backend API fuzz on PostgreSQL (issue 16)', () => {
	let pg: PostgresService | undefined;
	let backend: BackendProcess;
	const secrets = {
		password: `pw-${randomBytes(12).toString('hex')}`,
		query: `qs-${randomBytes(12).toString('hex')}`,
		signature: `sig-${randomBytes(12).toString('hex')}`,
		wrongToken: randomBytes(32).toString('hex'),
		proxmoxSecret: randomUUID(),
	};
	before(async () => {
		pg = await startPostgres();
		backend = await BackendProcess.create({
			HOMELAB_BACKEND_DATABASE_URL: pg.createDatabase('fuzz'),
			HOMELAB_BACKEND_LOG_LEVEL: 'info',
			HOMELAB_BACKEND_REQUEST_TIMEOUT_MS: '2000',
			HOMELAB_BACKEND_POLL_MS: '50',
			HOMELAB_BACKEND_PROXMOX_URL: 'https://127.0.0.1:1',
			HOMELAB_BACKEND_PROXMOX_TOKEN_ID: 'fuzz@pve!fuzzing',
			HOMELAB_BACKEND_PROXMOX_TOKEN_SECRET: secrets.proxmoxSecret,
		});
		await backend.start();
	});
	after(async () => {
		await backend?.kill('SIGTERM');
		await pg?.stop();
	});

	it('NUL bytes PostgreSQL cannot store answer 400', async () => {
		const call = (method: string, route: string, body?: unknown) =>
			fetch(`${backend.url}${route}`, {
				method,
				headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
		for (const body of [
			{ type: 'selftest', input: { steps: 1 }, idempotencyKey: 'k\u0000' },
			{ type: 'selftest', input: { steps: 1 }, idempotencyKey: '\u0000' },
			{ type: 'selftest\u0000', input: {} },
		]) {
			const response = await call('POST', '/v1/jobs', body);
			assert.equal(response.status, 400, `${JSON.stringify(body)}: ${await response.text()}`);
		}
		// inside a job's input a NUL is JSON text ("\u0000"): stored and read back as sent
		const echo = { 'a\u0000b': 'c\u0000d' };
		const created = await call('POST', '/v1/jobs', { type: 'selftest', input: { steps: 1, echo } });
		assert.equal(created.status, 201);
		const { id } = (await created.json()) as { id: string };
		const stored = (await (await call('GET', `/v1/jobs/${id}`)).json()) as { input: { echo: unknown } };
		assert.deepEqual(stored.input.echo, echo);
		for (const query of ['type=%00', 'type=a%00b', 'status=%00', 'before=%00']) {
			const response = await call('GET', `/v1/jobs?${query}`);
			assert.equal(response.status, 400, `?${query}: ${await response.text()}`);
		}
		assert.equal(backend.child?.exitCode, null);
	});

	it(
		'answers every hostile input with 2xx or 4xx, stays up and logs no secret',
		{ timeout: 180_000 },
		async () => {
			await fuzzBackend(backend, secrets, 'PostgreSQL');
		},
	);
});
