import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { outputOf, startN8n, type N8n } from '../harness/n8n';
import { packTarball } from '../harness/pack';
import { statusServer, type TestServer } from '../helpers/web-servers';
import { linearWorkflow } from '../helpers/workflows';

const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as {
	n8n: { nodes: string[]; credentials: string[] };
	dependencies?: Record<string, string>;
};

describe('the npm pack tarball, installed the way n8n’s community-node installer does', () => {
	let n8n: N8n;
	let packed: { tarball: string; files: string[] };
	let server: TestServer;
	before(async () => {
		packed = packTarball();
		n8n = await startN8n({ mode: { kind: 'tarball', tarball: packed.tarball } });
		server = await statusServer(204, { tls: true });
	});
	after(async () => {
		await server?.close();
		await n8n?.stop();
	});

	it('ships only dist/ (nodes, credentials, clients, shared), package.json and README', () => {
		const outside = packed.files.filter(
			(file) =>
				!/^dist\/(nodes|credentials|clients|shared)\//.test(file) &&
				!['package.json', 'README.md', 'LICENSE'].includes(file),
		);
		assert.deepEqual(outside, []);
		for (const entry of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
			assert.ok(
				packed.files.includes(entry),
				`${entry} is listed in package.json n8n but not in the tarball`,
			);
		}
		assert.ok(
			!packed.files.some((file) => file.endsWith('.ts') && !file.endsWith('.d.ts')),
			'no TypeScript sources',
		);
	});

	it('installs production dependencies only, with scripts ignored', () => {
		const installed = path.join(n8n.userFolder, '.n8n/nodes/node_modules/n8n-nodes-homelab');
		const modules = path.join(installed, 'node_modules');
		const present = existsSync(modules) ? readdirSync(modules).filter((name) => !name.startsWith('.')) : [];
		for (const devOnly of ['typescript', 'eslint', 'tsx', 'n8n-workflow', 'prettier']) {
			assert.ok(!present.includes(devOnly), `${devOnly} must not be installed with the package`);
		}
		for (const dependency of Object.keys(manifest.dependencies ?? {})) {
			const top = dependency.split('/')[0];
			assert.ok(present.includes(top), `runtime dependency ${dependency} was not installed`);
		}
	});

	it('loads every node with no error in n8n’s log and runs a workflow', async () => {
		const names = (await n8n.nodeTypes()).map((type) => type.name);
		assert.ok(names.includes('n8n-nodes-homelab.homelab'), 'Homelab node is loaded');
		const log = n8n.log();
		const problems = log
			.split('\n')
			.filter((line) => /homelab/i.test(line) && /error|fail|could not|cannot/i.test(line));
		assert.deepEqual(problems, []);
		const workflow = linearWorkflow('tarball: check', [
			{
				name: 'Check',
				type: 'n8n-nodes-homelab.homelab',
				typeVersion: 1,
				parameters: {
					resource: 'endpoint',
					operation: 'checkHttp',
					url: server.url,
					requireValidCertificate: false,
				},
			},
		]);
		const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow));
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const [item] = outputOf(result, 'Check');
		assert.equal(item.json.statusCode, 204);
		assert.equal(item.json.healthy, true);
	});

	it('runs Email Parse with its installed runtime dependencies (mailparser, chrono-node, html-to-text)', async () => {
		const raw = [
			'From: Dana <dana@acme-corp.com>',
			'Subject: Quick sync',
			'Date: Thu, 20 Nov 2025 09:15:00 -0500',
			'Content-Type: text/html; charset=utf-8',
			'',
			'<p>Could we have a call <b>next Tuesday at 2pm</b>?</p>',
		].join('\r\n');
		const workflow = linearWorkflow('tarball: email parse', [
			{
				name: 'Raw email',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				parameters: { jsCode: `return [{ json: { raw: ${JSON.stringify(raw)} } }];` },
			},
			{ name: 'Email Parse', type: 'n8n-nodes-homelab.emailParse', typeVersion: 1, parameters: {} },
		]);
		const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow));
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const [item] = outputOf(result, 'Email Parse');
		assert.equal(item.json.intent, 'meeting');
		assert.equal((item.json.dates as Array<{ start: string }>)[0].start, '2025-11-25T14:00:00-05:00');
	});
});
