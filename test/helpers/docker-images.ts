import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { DockerClient } from '../../clients/docker';

/** A tar build context (Dockerfile + files) as the engine's /build endpoint takes it. */
export function buildContext(dockerfile: string, files: Record<string, string> = {}): Buffer {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'homelab-docker-ctx-'));
	try {
		writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
		for (const [name, content] of Object.entries(files)) {
			mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
			writeFileSync(path.join(dir, name), content);
		}
		return execFileSync('tar', ['-C', dir, '-c', '.'], { maxBuffer: 64 * 1024 * 1024 });
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/**
 * Builds an image FROM the local busybox with the legacy builder (no RUN steps: the test engine has no default
 * bridge), so image tests never need a registry.
 */
export async function buildBusyboxImage(
	socketPath: string,
	tag: string,
	instructions: string[] = [],
	files: Record<string, string> = {},
): Promise<string> {
	const client = new DockerClient({ connection: 'socket', socketPath });
	const dockerfile = ['FROM local/busybox:latest', ...instructions].join('\n') + '\n';
	const built = await client.buildImage(buildContext(dockerfile, files), tag);
	return built.id;
}
