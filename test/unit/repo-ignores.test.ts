import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

// The matcher dockerode uses for build contexts, a port of Docker's own .dockerignore rules.
import dockerignore from '@balena/dockerignore';

import { loadConfig } from '../../backend/src/config';
import { REPO_ROOT } from '../harness/runtime';

/** What `npm run backend` from the repository root writes: its database (with SQLite's side files) and stacks. */
function backendRuntimeFiles(): string[] {
	const config = loadConfig({ HOMELAB_BACKEND_TOKEN: randomBytes(32).toString('hex') });
	const database = path.relative(REPO_ROOT, path.resolve(REPO_ROOT, path.basename(config.databaseFile)));
	return [
		database,
		`${database}-wal`,
		`${database}-shm`,
		`${database}-journal`,
		'stacks/web/compose.yml',
		'stacks/web/.env',
	];
}

describe('files `npm run backend` writes into the work tree', () => {
	it('are ignored by git', () => {
		// git check-ignore exits 0 for an ignored path, 1 for one git would offer to commit
		const committable = backendRuntimeFiles().filter(
			(file) =>
				spawnSync('git', ['check-ignore', '--quiet', '--no-index', file], { cwd: REPO_ROOT }).status !== 0,
		);
		assert.deepEqual(committable, []);
	});

	it('stay out of the backend image (`COPY . .` in backend/Dockerfile)', () => {
		const rules = dockerignore().add(readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8'));
		assert.deepEqual(
			backendRuntimeFiles().filter((file) => !rules.ignores(file)),
			[],
		);
		assert.ok(!rules.ignores('backend/src/store/sqlite.ts'), 'the store sources still go in');
	});
});
