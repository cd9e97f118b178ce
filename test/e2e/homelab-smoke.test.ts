import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { freePort } from '../harness/net';
import { outputOf, type N8n } from '../harness/n8n';
import { sharedN8n } from '../helpers/shared-n8n';
import { itemsNode, linearWorkflow } from '../helpers/workflows';
import { statusServer, type TestServer } from '../helpers/web-servers';

describe('Homelab node inside real n8n (symlinked pack)', () => {
	let n8n: N8n;
	let https200: TestServer;
	let http503: TestServer;
	let closedPort: number;
	before(async () => {
		n8n = await sharedN8n();
		https200 = await statusServer(200, { tls: true });
		http503 = await statusServer(503);
		closedPort = await freePort();
	});
	after(async () => {
		await https200.close();
		await http503.close();
	});

	const checkNode = (options: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
		name: 'Check',
		type: 'n8n-nodes-homelab.homelab',
		typeVersion: 1,
		parameters: {
			resource: 'endpoint',
			operation: 'checkHttp',
			url: '={{ $json.url }}',
			requireValidCertificate: false,
			options,
		},
		...extra,
	});

	it('checks each item with its own URL and pairs every output with its input', async () => {
		const workflow = linearWorkflow('smoke: check endpoints', [
			itemsNode('Endpoints', [
				{ url: https200.url },
				{ url: `${http503.url}/health` },
				{ url: `http://127.0.0.1:${closedPort}` },
			]),
			checkNode(),
		]);
		const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow));
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const items = outputOf(result, 'Check');
		assert.equal(items.length, 3);
		assert.deepEqual(
			items.map((item) => item.pairedItem),
			[{ item: 0 }, { item: 1 }, { item: 2 }],
		);
		const [tlsOk, unhealthy, down] = items.map((item) => item.json);
		assert.equal(tlsOk.healthy, true);
		assert.equal(tlsOk.statusCode, 200);
		assert.equal((tlsOk.tls as { subject: string }).subject, 'localhost');
		assert.equal(unhealthy.healthy, false);
		assert.deepEqual(unhealthy.problems, ['status 503 is not in 200-399']);
		assert.equal(down.healthy, false);
		assert.deepEqual(down.problems, [`unreachable: connection refused (127.0.0.1:${closedPort})`]);
		assert.equal(down.errorCode, 'ECONNREFUSED');
	});

	it('with "continue on fail", a failing item becomes an error item paired with its input', async () => {
		const workflow = linearWorkflow('smoke: continue on fail', [
			itemsNode('Endpoints', [{ url: https200.url }, { url: http503.url }, { url: 'not a url' }]),
			checkNode({ failWhenDown: true }, { onError: 'continueRegularOutput' }),
		]);
		const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow));
		assert.equal(result.status, 'success');
		const items = outputOf(result, 'Check');
		assert.deepEqual(
			items.map((item) => item.pairedItem),
			[{ item: 0 }, { item: 1 }, { item: 2 }],
		);
		assert.equal(items[0].json.healthy, true);
		assert.match(String(items[1].json.error), /is unhealthy: status 503 is not in 200-399/);
		assert.equal(items[2].json.error, '"not a url" is not a valid URL');
		assert.match(String(items[2].json.errorDescription), /including the scheme/);
	});

	it('with "continue (using error output)", failing items go to the error output, hint as details', async () => {
		const workflow = linearWorkflow('smoke: error output', [
			itemsNode('Endpoints', [{ url: https200.url }, { url: 'not a url' }]),
			checkNode({ failWhenDown: true }, { onError: 'continueErrorOutput' }),
		]);
		const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow));
		assert.equal(result.status, 'success');
		const ok = outputOf(result, 'Check', 0);
		const failed = outputOf(result, 'Check', 1);
		assert.deepEqual(
			ok.map((item) => item.json.healthy),
			[true],
		);
		assert.equal(failed.length, 1);
		assert.equal(failed[0].json.error, '"not a url" is not a valid URL');
		assert.match(String(failed[0].json.details), /including the scheme/);
	});

	it('without "continue on fail", the execution fails naming the endpoint and the item', async () => {
		const workflow = linearWorkflow('smoke: stop on error', [
			itemsNode('Endpoints', [{ url: https200.url }, { url: `http://127.0.0.1:${closedPort}/` }]),
			checkNode({ failWhenDown: true }),
		]);
		const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow));
		assert.equal(result.status, 'error');
		assert.equal(result.error?.node?.name, 'Check');
		assert.equal(
			result.error?.message,
			`http://127.0.0.1:${closedPort}/ is unhealthy: unreachable: connection refused (127.0.0.1:${closedPort})`,
		);
	});

	it('loads as a tool variant for the AI Agent (usableAsTool)', async () => {
		const names = (await n8n.nodeTypes()).map((type) => type.name);
		assert.ok(names.includes('n8n-nodes-homelab.homelab'));
		assert.ok(names.includes('n8n-nodes-homelab.homelabTool'));
	});
});
