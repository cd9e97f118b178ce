import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { Editor } from '../harness/editor';
import { freePort, waitFor } from '../harness/net';
import { REPO_ROOT } from '../harness/runtime';

describe("README's lab command (scripts/lab.sh)", () => {
	const labDir = mkdtempSync(path.join(os.tmpdir(), 'homelab-lab-'));
	let lab: ChildProcess;
	let output = '';
	let editorUrl = '';
	let backendUrl = '';
	before(async () => {
		const [port, backendPort] = [await freePort(), await freePort()];
		lab = spawn('bash', [path.join(REPO_ROOT, 'scripts/lab.sh')], {
			env: {
				...process.env,
				LAB_DIR: labDir,
				LAB_PORT: String(port),
				LAB_BACKEND_PORT: String(backendPort),
				LAB_SKIP_BUILD: '1',
			},
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		lab.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		lab.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		await waitFor(
			'the lab to print its editor URL',
			() => {
				if (lab.exitCode !== null) throw new Error(`lab exited ${lab.exitCode}:\n${output}`);
				const editor = /Editor:\s+(http:\/\/\S+?)\/\s/.exec(output);
				const backend = /Backend:\s+(http:\/\/\S+?)\/\s/.exec(output);
				if (!editor || !backend) return undefined;
				[editorUrl, backendUrl] = [editor[1], backend[1]];
				return true;
			},
			{ timeoutMs: 180000, intervalMs: 250 },
		);
	});
	after(async () => {
		if (lab && lab.exitCode === null) {
			const exited = new Promise((resolve) => lab.once('exit', resolve));
			process.kill(-lab.pid!, 'SIGTERM');
			await exited;
		}
		rmSync(labDir, { recursive: true, force: true });
	});

	it('leaves n8n answering with the pack’s nodes listed and every workflow imported', async () => {
		const [email, password] = readFileSync(path.join(labDir, 'owner-login.txt'), 'utf8').trim().split('\n');
		const login = await fetch(`${editorUrl}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: email, password }),
		});
		assert.equal(login.status, 200);
		const cookie = login.headers.getSetCookie()[0].split(';')[0];
		const types = (await (
			await fetch(`${editorUrl}/types/nodes.json`, { headers: { cookie } })
		).json()) as Array<{ name: string }>;
		assert.ok(types.some((type) => type.name === 'n8n-nodes-homelab.homelab'));
		const workflows = (await (
			await fetch(`${editorUrl}/rest/workflows`, { headers: { cookie } })
		).json()) as {
			data: Array<{ name: string }>;
		};
		const expected = readdirSync(path.join(REPO_ROOT, 'workflows'))
			.filter((file) => file.endsWith('.json'))
			.map(
				(file) =>
					(JSON.parse(readFileSync(path.join(REPO_ROOT, 'workflows', file), 'utf8')) as { name: string })
						.name,
			)
			.sort();
		assert.deepEqual(workflows.data.map((workflow) => workflow.name).sort(), expected);
		assert.ok(!output.includes(password), 'the owner password is not printed');
	});

	it('shows the imported workflows on the editor’s workflows page (Chromium)', async () => {
		const [email, password] = readFileSync(path.join(labDir, 'owner-login.txt'), 'utf8').trim().split('\n');
		const expected = readdirSync(path.join(REPO_ROOT, 'workflows'))
			.filter((file) => file.endsWith('.json'))
			.map(
				(file) =>
					(JSON.parse(readFileSync(path.join(REPO_ROOT, 'workflows', file), 'utf8')) as { name: string })
						.name,
			)
			.sort();
		const editor = await Editor.open({ baseUrl: editorUrl, owner: { email, password } });
		try {
			assert.deepEqual((await editor.listedWorkflows(expected.length)).sort(), expected);
		} finally {
			await editor.close();
		}
	});

	it('runs the backend on its embedded SQLite store, token required', async () => {
		const health = (await (await fetch(`${backendUrl}/healthz`)).json()) as { status: string; store: string };
		assert.deepEqual([health.status, health.store], ['ok', 'sqlite']);
		assert.equal((await fetch(`${backendUrl}/v1/info`)).status, 401);
		const token = readFileSync(path.join(labDir, 'backend-token'), 'utf8').trim();
		const info = await fetch(`${backendUrl}/v1/info`, { headers: { authorization: `Bearer ${token}` } });
		assert.equal(info.status, 200);
	});
});
