import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { Editor } from '../harness/editor';
import { REPO_ROOT } from '../harness/runtime';
import {
	groupOrOtherAccessible,
	labEncryptionKey,
	labOwnerCookie,
	labOwnerLogin,
	readHeaderName,
	saveHeaderCredential,
	startLab,
	stopLab,
	type RunningLab,
} from '../helpers/lab-process';
import { PUBLIC_LAB_KEY } from '../../scripts/lab-private';

describe("README's lab command (scripts/lab.sh)", () => {
	const labDir = mkdtempSync(path.join(os.tmpdir(), 'homelab-lab-'));
	let lab: RunningLab | undefined;
	let editorUrl = '';
	let backendUrl = '';
	before(async () => {
		lab = await startLab(labDir);
		({ editorUrl, backendUrl } = lab);
	});
	after(async () => {
		await stopLab(lab);
		rmSync(labDir, { recursive: true, force: true });
	});

	it('leaves n8n answering with the pack’s nodes listed and every workflow imported', async () => {
		const cookie = await labOwnerCookie(lab!, labDir);
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
		assert.ok(!lab!.output().includes(labOwnerLogin(labDir).password), 'the owner password is not printed');
	});

	it('shows the imported workflows on the editor’s workflows page (Chromium)', async () => {
		const { email, password } = labOwnerLogin(labDir);
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

	it('keeps the lab private: folder 0700, every file in it 0600, n8n on its own random key', () => {
		assert.deepEqual(groupOrOtherAccessible(labDir), []);
		assert.equal(statSync(labDir).mode & 0o777, 0o700);
		for (const file of ['n8n/.n8n/config', 'n8n/.n8n/database.sqlite', 'backend.sqlite', 'backend-token']) {
			assert.equal(statSync(path.join(labDir, file)).mode & 0o777, 0o600, file);
		}
		const key = labEncryptionKey(labDir);
		assert.notEqual(key, PUBLIC_LAB_KEY);
		assert.ok(key.length >= 32, 'a random key of 24 bytes or more');
		assert.ok(!lab!.output().includes(key), 'the key is not printed');
	});

	it('reuses its key after a restart, so a saved credential still decrypts', async () => {
		const key = labEncryptionKey(labDir);
		const cookie = await labOwnerCookie(lab!, labDir);
		const id = await saveHeaderCredential(lab!, cookie);
		await stopLab(lab);
		lab = await startLab(labDir);
		assert.equal(labEncryptionKey(labDir), key);
		assert.equal(await readHeaderName(lab, await labOwnerCookie(lab, labDir), id), 'X-Lab-Check');
		assert.deepEqual(groupOrOtherAccessible(labDir), []);
	});
});
