// The Homelab Backend node inside real n8n: credential test against /v1/info, submit, get, and "submit and
// wait", whose execution waits until the backend POSTs the finished job to the execution's signed resume URL.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { outputOf, type N8n } from '../harness/n8n';
import { sharedN8n } from '../helpers/shared-n8n';
import { linearWorkflow } from '../helpers/workflows';
import { BackendProcess, TOKEN } from './backend-process';

describe('Homelab Backend node in real n8n', () => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'homelab-n8n-backend-'));
	let n8n: N8n;
	let backend: BackendProcess;
	let credential: { id: string; name: string };
	before(async () => {
		n8n = await sharedN8n();
		backend = await BackendProcess.create({
			HOMELAB_BACKEND_DB: path.join(dir, 'backend.sqlite'),
			HOMELAB_BACKEND_POLL_MS: '50',
		});
		await backend.start();
		const name = `backend ${Date.now()}`;
		credential = {
			id: await n8n.createCredential(name, 'homelabBackendApi', { url: backend.url, token: TOKEN }),
			name,
		};
	});
	after(async () => {
		await backend?.kill('SIGTERM');
		rmSync(dir, { recursive: true, force: true });
	});

	const backendNode = (name: string, parameters: Record<string, unknown>) => ({
		name,
		type: 'n8n-nodes-homelab.homelabBackend',
		typeVersion: 1,
		parameters: { resource: 'job', ...parameters },
		credentials: { homelabBackendApi: credential },
	});

	it('tests the credential against /v1/info (a wrong token fails the test)', async () => {
		const test = (token: string) =>
			n8n.rest<{ data: { status: string; message: string } }>('POST', '/credentials/test', {
				credentials: {
					id: credential.id,
					name: credential.name,
					type: 'homelabBackendApi',
					data: { url: backend.url, token },
				},
			});
		assert.equal((await test(TOKEN)).data.status, 'OK');
		assert.equal((await test('wrong-token-0123456789')).data.status, 'Error');
	});

	it('submit and wait: the execution waits and is resumed by the backend with the finished job', async () => {
		const workflow = linearWorkflow('backend: submit and wait', [
			backendNode('Provision', {
				operation: 'submitAndWait',
				jobType: 'selftest',
				input: JSON.stringify({ steps: 3, sleepMs: 300, echo: 'hello from n8n' }),
			}),
		]);
		const started = Date.now();
		let result = await n8n.runWorkflow(await n8n.importWorkflow(workflow), 'Manual Trigger', 60_000);
		// the harness returns once the execution stopped, and a waiting execution has stopped (for now)
		assert.equal(result.status, 'waiting', JSON.stringify(result.error));
		while (['waiting', 'running', 'new'].includes(result.status)) {
			assert.ok(Date.now() - started < 60_000, 'resumed within a minute');
			await new Promise((resolve) => setTimeout(resolve, 200));
			result = await n8n.waitForExecution(result.id);
		}
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const [item] = outputOf(result, 'Provision');
		const job = item.json as {
			id: string;
			status: string;
			result: unknown;
			steps: unknown[];
			callback: unknown;
		};
		assert.equal(job.status, 'succeeded');
		assert.deepEqual(job.result, { steps: 3, echo: 'hello from n8n' });
		assert.equal(job.steps.length, 3);
		assert.ok(Date.now() - started >= 900, 'the execution waited for the job');
		const stored = await backend.api<{ callback: { state: string; attempts: number } }>(
			'GET',
			`/v1/jobs/${job.id}`,
		);
		assert.deepEqual(stored.callback, { state: 'delivered', attempts: 1 });
	});

	it('submit, then get and list', async () => {
		const workflow = linearWorkflow('backend: submit', [
			backendNode('Submit', {
				operation: 'submit',
				jobType: 'selftest',
				input: '{"steps": 1}',
				idempotencyKey: `k-${Date.now()}`,
			}),
			backendNode('Get', { operation: 'get', jobId: '={{ $json.id }}' }),
		]);
		const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow));
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const submitted = outputOf(result, 'Submit')[0].json as { id: string; status: string };
		const got = outputOf(result, 'Get')[0].json as { id: string; type: string };
		assert.equal(got.id, submitted.id);
		assert.equal(got.type, 'selftest');
		const bad = linearWorkflow('backend: bad input', [
			backendNode('Submit', { operation: 'submit', jobType: 'selftest', input: '{"steps": "many"}' }),
		]);
		const failed = await n8n.runWorkflow(await n8n.importWorkflow(bad));
		assert.equal(failed.status, 'error');
		assert.match(
			JSON.stringify(failed.error),
			/The backend refused POST \/v1\/jobs \(400\): invalid input for selftest: \/steps must be integer/,
		);
	});
});
