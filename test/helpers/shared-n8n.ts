import { existsSync, readFileSync } from 'node:fs';
import { after } from 'node:test';

import { N8n, startN8n, type N8nConnection } from '../harness/n8n';

let own: Promise<N8n> | undefined;

// Registered when a test file imports this module, so on the file's root: it runs after the file's last test.
// (An `after` called from inside a `before` hook, where sharedN8n() is usually called, runs as soon as that hook
// ends: the file's own n8n was stopped before its first test.)
after(async () => {
	if (own) await (await own).stop();
});

/**
 * The n8n of this test run: the one test/global-setup.ts started when the suite runs as a whole, or, when a
 * file runs on its own, one started for this file and stopped after it.
 */
export async function sharedN8n(): Promise<N8n> {
	const file = process.env.HOMELAB_TEST_N8N;
	if (file && existsSync(file))
		return N8n.fromConnection(JSON.parse(readFileSync(file, 'utf8')) as N8nConnection);
	own ??= startN8n();
	return await own;
}
