// Hundreds of hostile inputs against a live backend process on SQLite (issue 16, "Proof"): odd methods, framing,
// paths, queries, headers and bodies, fixed and seeded-random. Every input must answer 2xx or 4xx (never 5xx, never
// a dropped connection), the process must stay up, the job list and the CLI must keep working, and no secret may
// reach the log. Run again with HOMELAB_FUZZ_SEED=<seed> to replay the random part.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { BackendProcess, TOKEN } from './backend-process';
import { fuzzBackend } from './fuzz-run';

describe('backend API fuzz on SQLite (issue 16)', () => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'homelab-fuzz-'));
	const secrets = {
		password: `pw-${randomBytes(12).toString('hex')}`,
		query: `qs-${randomBytes(12).toString('hex')}`,
		signature: `sig-${randomBytes(12).toString('hex')}`,
		wrongToken: randomBytes(32).toString('hex'),
		proxmoxSecret: randomUUID(),
	};
	let backend: BackendProcess;
	before(async () => {
		backend = await BackendProcess.create({
			HOMELAB_BACKEND_DB: path.join(dir, 'fuzz.sqlite'),
			HOMELAB_BACKEND_LOG_LEVEL: 'info',
			// a body that never completes is cut after this long (408), so lying lengths end quickly
			HOMELAB_BACKEND_REQUEST_TIMEOUT_MS: '2000',
			HOMELAB_BACKEND_POLL_MS: '50',
			// a Proxmox the fuzzed jobs cannot reach, whose secret must stay out of the log
			HOMELAB_BACKEND_PROXMOX_URL: 'https://127.0.0.1:1',
			HOMELAB_BACKEND_PROXMOX_TOKEN_ID: 'fuzz@pve!fuzzing',
			HOMELAB_BACKEND_PROXMOX_TOKEN_SECRET: secrets.proxmoxSecret,
		});
		await backend.start();
	});
	after(async () => {
		await backend?.kill('SIGTERM');
		rmSync(dir, { recursive: true, force: true });
	});

	it(
		'answers every hostile input with 2xx or 4xx, stays up and logs no secret',
		{ timeout: 120_000 },
		async () => {
			await fuzzBackend(backend, secrets, 'SQLite');
		},
	);

	it('takes a plain x-request-id as the request id and replaces an abusive one', async () => {
		const idOf = async (sent: string) => {
			const response = await fetch(`${backend.url}/v1/jobs/00000000-0000-4000-8000-000000000000`, {
				headers: { authorization: `Bearer ${TOKEN}`, 'x-request-id': sent },
			});
			assert.equal(response.status, 404);
			return response.headers.get('x-request-id');
		};
		assert.equal(await idOf('n8n-exec-42.node_7'), 'n8n-exec-42.node_7');
		for (const abusive of ['r'.repeat(65), 'a b', '"}{"level":60', '../../x/'.padEnd(70, '.')])
			assert.match(String(await idOf(abusive)), /^[0-9a-f-]{36}$/, abusive);
		// a 401 names its id too
		const refused = await fetch(`${backend.url}/v1/info`, {
			headers: { 'x-request-id': 'unauthenticated-1' },
		});
		assert.deepEqual([refused.status, refused.headers.get('x-request-id')], [401, 'unauthenticated-1']);
	});
});
