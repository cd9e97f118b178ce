// tsc compiles only .ts: copy each node's and credential's icons and codex JSON next to the compiled file.
import { cpSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ASSET = /\.(svg|png|node\.json)$/;

function copyAssets(dir) {
	for (const entry of readdirSync(dir)) {
		const source = join(dir, entry);
		if (statSync(source).isDirectory()) copyAssets(source);
		else if (ASSET.test(entry)) cpSync(source, join('dist', source));
	}
}

for (const root of ['nodes', 'credentials']) {
	try {
		copyAssets(root);
	} catch (error) {
		if (error.code !== 'ENOENT') throw error;
	}
}
