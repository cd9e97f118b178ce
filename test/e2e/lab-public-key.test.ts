import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import { n8nSettingsFile, PUBLIC_LAB_KEY } from '../../scripts/lab-private';
import { REPO_ROOT } from '../harness/runtime';
import { groupOrOtherAccessible } from '../helpers/lab-process';

describe('a lab made before it had its own key (public key, world-readable files)', () => {
	const labDir = mkdtempSync(path.join(os.tmpdir(), 'homelab-oldlab-'));
	after(() => rmSync(labDir, { recursive: true, force: true }));

	it('is refused with what to do, its files made private and its settings left as they were', () => {
		// n8n's settings file as the old lab left it: the public key, world-readable.
		const settingsFile = n8nSettingsFile(path.join(labDir, 'n8n'));
		mkdirSync(path.dirname(settingsFile), { recursive: true });
		const settings = JSON.stringify({ encryptionKey: PUBLIC_LAB_KEY }, null, '\t');
		writeFileSync(settingsFile, settings);
		chmodSync(settingsFile, 0o644);
		chmodSync(labDir, 0o755);

		const lab = spawnSync('bash', [path.join(REPO_ROOT, 'scripts/lab.sh')], {
			env: { ...process.env, LAB_DIR: labDir, LAB_SKIP_BUILD: '1' },
			encoding: 'utf8',
			timeout: 120000,
		});
		assert.equal(lab.status, 1, lab.stdout + lab.stderr);
		assert.match(lab.stderr, /created with the public n8n encryption key/);
		assert.match(lab.stderr, new RegExp(`mv ${labDir} ${labDir}\\.public-key`));
		assert.equal(readFileSync(settingsFile, 'utf8'), settings);
		assert.deepEqual(groupOrOtherAccessible(labDir), []);
	});
});
