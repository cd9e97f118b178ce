import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { REPO_ROOT } from './runtime';

/** `npm pack` of the built package into a temp dir; returns the tarball path and the files it ships. */
export function packTarball(): { tarball: string; files: string[] } {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'homelab-pack-'));
	const output = execFileSync('npm', ['pack', '--json', '--pack-destination', dir, '--loglevel=error'], {
		cwd: REPO_ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const [packed] = JSON.parse(output) as Array<{ filename: string; files: Array<{ path: string }> }>;
	return { tarball: path.join(dir, packed.filename), files: packed.files.map((file) => file.path) };
}
