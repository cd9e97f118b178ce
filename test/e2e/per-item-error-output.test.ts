import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { outputOf, type N8n } from '../harness/n8n';
import { sharedN8n } from '../helpers/shared-n8n';
import { statusServer, type TestServer } from '../helpers/web-servers';
import { itemsNode, linearWorkflow } from '../helpers/workflows';

// shared/per-item.ts: with "On Error: Continue (using error output)" a failed item must leave by the error
// output, description included (n8n routes only items whose JSON holds nothing but error/message/details).
describe('runPerItem failures and the error output inside real n8n', () => {
	let n8n: N8n;
	let healthy: TestServer;
	let unhealthy: TestServer;
	before(async () => {
		n8n = await sharedN8n();
		healthy = await statusServer(200);
		unhealthy = await statusServer(503);
	});
	after(async () => {
		await healthy.close();
		await unhealthy.close();
	});

	it('failed items go to the error output with their input and description; good ones stay on success', async () => {
		const workflow = linearWorkflow('per-item: error output', [
			itemsNode('Endpoints', [
				{ name: 'ok', url: healthy.url },
				{ name: 'typo', url: 'not a url' },
				{ name: 'down', url: unhealthy.url },
			]),
			{
				name: 'Check',
				type: 'n8n-nodes-homelab.homelab',
				typeVersion: 1,
				onError: 'continueErrorOutput',
				parameters: {
					resource: 'endpoint',
					operation: 'checkHttp',
					url: '={{ $json.url }}',
					options: { failWhenDown: true },
				},
			},
		]);
		const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow));
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const success = outputOf(result, 'Check', 0);
		assert.deepEqual(
			success.map((item) => [item.json.healthy, item.pairedItem]),
			[[true, { item: 0 }]],
		);
		const failed = outputOf(result, 'Check', 1);
		assert.deepEqual(
			failed.map((item) => [item.json.name, item.json.url, item.pairedItem]),
			[
				['typo', 'not a url', { item: 1 }],
				['down', unhealthy.url, { item: 2 }],
			],
			'each failure is paired with its input and carries its fields',
		);
		assert.equal(failed[0].json.error, '"not a url" is not a valid URL');
		assert.match(String(failed[0].json.details), /including the scheme/);
		assert.match(String(failed[1].json.error), /is unhealthy: status 503 is not in 200-399/);
	});
});
