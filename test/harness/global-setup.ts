// Node test runner global setup (loaded through test/global-setup.mjs): one real n8n for the whole run, shared by every test
// file through a small JSON file whose path is put in HOMELAB_TEST_N8N. Files that need a differently
// prepared n8n (tarball install, the lab command) start their own.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startN8n, type N8n } from './n8n';

let n8n: N8n | undefined;

export async function globalSetup(): Promise<void> {
	if (process.env.HOMELAB_TEST_NO_N8N) return;
	const started = Date.now();
	n8n = await startN8n();
	const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'homelab-test-')), 'n8n.json');
	writeFileSync(file, JSON.stringify(n8n.connection()));
	process.env.HOMELAB_TEST_N8N = file;
	console.log(`# shared n8n ready on ${n8n.baseUrl} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export async function globalTeardown(): Promise<void> {
	await n8n?.stop();
}
