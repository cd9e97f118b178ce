// A failing Homelab Backend call inside real n8n: the error names the request id the backend logged the request
// under, and the bearer token is nowhere in the stored execution (public and internal API), nor in n8n's log.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { outputOf, type ExecutionResult, type N8n } from '../harness/n8n';
import { freePort } from '../harness/net';
import { sharedN8n } from '../helpers/shared-n8n';
import { linearWorkflow } from '../helpers/workflows';
import { BackendProcess, TOKEN } from './backend-process';

const REQUEST_ID = /\[request id ([0-9a-f-]{36})\]/;

describe('Homelab Backend node errors in real n8n (issue 16 item 17)', () => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'homelab-n8n-errors-'));
	let n8n: N8n;
	let backend: BackendProcess;
	let live: { id: string; name: string };
	let down: { id: string; name: string };
	before(async () => {
		n8n = await sharedN8n();
		backend = await BackendProcess.create({
			HOMELAB_BACKEND_DB: path.join(dir, 'backend.sqlite'),
			HOMELAB_BACKEND_LOG_LEVEL: 'info',
		});
		await backend.start();
		const stamp = Date.now();
		live = { id: '', name: `backend errors ${stamp}` };
		live.id = await n8n.createCredential(live.name, 'homelabBackendApi', { url: backend.url, token: TOKEN });
		// the same token, towards a port nobody listens on
		down = { id: '', name: `backend down ${stamp}` };
		const closed = `http://127.0.0.1:${await freePort()}`;
		down.id = await n8n.createCredential(down.name, 'homelabBackendApi', { url: closed, token: TOKEN });
	});
	after(async () => {
		await backend?.kill('SIGTERM');
		rmSync(dir, { recursive: true, force: true });
	});

	const backendNode = (
		credential: { id: string; name: string },
		parameters: Record<string, unknown>,
		settings: Record<string, unknown> = {},
	) => ({
		name: 'Backend',
		type: 'n8n-nodes-homelab.homelabBackend',
		typeVersion: 1,
		parameters: { resource: 'job', ...parameters },
		credentials: { homelabBackendApi: credential },
		...settings,
	});

	/** the execution as both APIs give it (the editor reads the internal one) has no trace of the token */
	async function assertNoTokenStored(result: ExecutionResult) {
		assert.ok(!JSON.stringify(result.raw).includes(TOKEN), 'token in the execution (public API)');
		const internal = await n8n.rest<{ data: unknown }>('GET', `/executions/${result.id}`);
		assert.ok(!JSON.stringify(internal).includes(TOKEN), 'token in the execution (internal API)');
	}

	it('a refused submit: the error shows the request id the backend logged, no token stored', async () => {
		const workflow = linearWorkflow('backend errors: refused', [
			backendNode(live, { operation: 'submit', jobType: 'selftest', input: '{"steps": "many"}' }),
		]);
		const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow));
		assert.equal(result.status, 'error');
		const message = String(result.error?.message);
		assert.match(message, /^The backend refused POST \/v1\/jobs \(400\): invalid input for selftest/);
		const requestId = REQUEST_ID.exec(message)?.[1];
		assert.ok(requestId, `a request id in "${message}"`);
		// the backend took the node's id as its own: its log has the request under it
		assert.ok(backend.output.includes(`"reqId":"${requestId}"`), 'the backend logged the request id');
		await assertNoTokenStored(result);
	});

	it('a backend that does not answer: words, a request id, no token stored or logged', async () => {
		const workflow = linearWorkflow('backend errors: down', [
			backendNode(down, { operation: 'get', jobId: '00000000-0000-4000-8000-000000000000' }),
		]);
		const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow));
		assert.equal(result.status, 'error');
		assert.match(
			String(result.error?.message),
			/^The backend at http:\/\/127\.0\.0\.1:\d+ did not answer GET \/v1\/jobs\/0{8}-[0-9a-f-]+ \[request id [0-9a-f-]{36}\]$/,
		);
		assert.match(String(result.error?.description), /^connection refused \(127\.0\.0\.1:\d+\)$/);
		await assertNoTokenStored(result);
		assert.ok(!n8n.log().includes(TOKEN), "token in n8n's log");
	});

	it('continue on fail: the error item carries the request id and no token', async () => {
		const workflow = linearWorkflow('backend errors: continue', [
			backendNode(
				down,
				{ operation: 'submit', jobType: 'selftest', input: '{"steps": 1}' },
				{ onError: 'continueRegularOutput' },
			),
		]);
		const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow));
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const [item] = outputOf(result, 'Backend');
		assert.match(String(item.json.error), REQUEST_ID);
		assert.match(String(item.json.errorDescription), /^connection refused/);
		await assertNoTokenStored(result);
	});
});
