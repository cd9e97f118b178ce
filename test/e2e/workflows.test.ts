import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { outputOf, type N8n, type WorkflowJson } from '../harness/n8n';
import { REPO_ROOT } from '../harness/runtime';
import { sharedN8n } from '../helpers/shared-n8n';
import { statusServer, type TestServer } from '../helpers/web-servers';

const workflowFiles = readdirSync(path.join(REPO_ROOT, 'workflows')).filter((file) => file.endsWith('.json'));
const load = (file: string) =>
	JSON.parse(readFileSync(path.join(REPO_ROOT, 'workflows', file), 'utf8')) as WorkflowJson;

describe('workflows/ in real n8n', () => {
	let n8n: N8n;
	before(async () => {
		n8n = await sharedN8n();
	});

	it('every workflow imports and uses only node types n8n has loaded', async () => {
		assert.ok(workflowFiles.length > 0);
		const known = new Set((await n8n.nodeTypes()).map((type) => type.name));
		for (const file of workflowFiles) {
			const workflow = load(file);
			const unknown = workflow.nodes.map((node) => node.type).filter((type) => !known.has(type));
			assert.deepEqual(unknown, [], `${file} uses unknown node types`);
			assert.ok(await n8n.importWorkflow(workflow));
		}
	});

	describe('homelab-service-health.json', () => {
		let healthy: TestServer;
		let broken: TestServer;
		before(async () => {
			healthy = await statusServer(200);
			broken = await statusServer(500);
		});
		after(async () => {
			await healthy.close();
			await broken.close();
		});

		it('reports only the unhealthy service', async () => {
			const workflow = load('homelab-service-health.json');
			const services = workflow.nodes.find((node) => node.name === 'Services to check');
			assert.ok(services);
			services.parameters.jsCode = `return [
				{ json: { name: 'ok', url: '${healthy.url}/' } },
				{ json: { name: 'broken', url: '${broken.url}/' } },
			];`;
			const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow));
			assert.equal(result.status, 'success', JSON.stringify(result.error));
			assert.equal(outputOf(result, 'Check service').length, 2);
			const unhealthy = outputOf(result, 'Unhealthy services').map((item) => item.json);
			assert.deepEqual(
				unhealthy.map((item) => [item.url, item.problems]),
				[[`${broken.url}/`, ['status 500 is not in 200-399']]],
			);
		});
	});
});
