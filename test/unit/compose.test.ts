import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import { REPO_ROOT } from '../harness/runtime';
import { requireBinary } from '../services/common';

function composeConfig(envFile: string): { ok: boolean; output: string } {
	const compose = requireBinary('docker-compose', 'docker-compose');
	try {
		const output = execFileSync(compose, ['-f', 'docker-compose.yml', '--env-file', envFile, 'config'], {
			cwd: REPO_ROOT,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		return { ok: true, output };
	} catch (error) {
		return { ok: false, output: String((error as { stderr?: string }).stderr) };
	}
}

describe('docker-compose.yml', () => {
	it('is valid with .env.example and wires the pack, backend and broker together', () => {
		const { ok, output } = composeConfig('.env.example');
		assert.ok(ok, output);
		for (const service of ['pack-install:', 'n8n:', 'backend:', 'mosquitto:'])
			assert.ok(output.includes(service), service);
		assert.match(output, /n8nio\/n8n:2\.41\.1/);
		assert.match(output, /service_completed_successfully/);
	});

	it('refuses to start without the secrets', () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'homelab-compose-'));
		writeFileSync(path.join(dir, 'empty.env'), '');
		const { ok, output } = composeConfig(path.join(dir, 'empty.env'));
		assert.equal(ok, false);
		assert.match(output, /set (N8N_ENCRYPTION_KEY|HOMELAB_BACKEND_TOKEN) in \.env/);
	});
});
