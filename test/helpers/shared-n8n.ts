import { existsSync, readFileSync } from 'node:fs';
import { after } from 'node:test';

import { N8n, startN8n, type N8nConnection } from '../harness/n8n';

let own: Promise<N8n> | undefined;

/**
 * The n8n of this test run: the one test/global-setup.ts started when the suite runs as a whole, or, when a
 * file runs on its own, one started for this file and stopped after it.
 */
export async function sharedN8n(): Promise<N8n> {
	const file = process.env.HOMELAB_TEST_N8N;
	if (file && existsSync(file))
		return N8n.fromConnection(JSON.parse(readFileSync(file, 'utf8')) as N8nConnection);
	if (!own) {
		own = startN8n();
		after(async () => await (await own)?.stop());
	}
	return await own;
}
