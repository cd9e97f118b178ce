import { execFileSync, spawn, type SpawnOptions } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A private temp dir for one server instance; world-traversable so daemons that drop privileges can enter it. */
export function serviceDir(name: string): string {
	const dir = mkdtempSync(path.join(os.tmpdir(), `homelab-${name}-`));
	execFileSync('chmod', ['755', dir]);
	return dir;
}

/** Runs a command to completion; on failure the error carries its output, so a broken server setup is loud. */
export function run(command: string, args: string[], options: { cwd?: string; input?: string } = {}): string {
	try {
		return execFileSync(command, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...options });
	} catch (error) {
		const { stdout, stderr } = error as { stdout?: string; stderr?: string };
		throw new Error(
			`${command} ${args.join(' ')} failed: ${(error as Error).message}\n${stdout ?? ''}${stderr ?? ''}`,
		);
	}
}

/** Starts a long-running daemon in the foreground of its own process group, output into `logFile`. */
export function daemon(command: string, args: string[], logFile: string, options: SpawnOptions = {}) {
	const fd = openSync(logFile, 'a');
	const child = spawn(command, args, { stdio: ['ignore', fd, fd], detached: true, ...options });
	child.unref();
	return child;
}

export function requireBinary(binary: string, debianPackage: string): string {
	if (path.isAbsolute(binary) && existsSync(binary)) return binary;
	for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/bin', '/sbin', '/bin'])) {
		const candidate = path.join(dir, binary);
		if (existsSync(candidate)) return candidate;
	}
	throw new Error(
		`${binary} is not installed: run scripts/install-system-deps.sh (Debian package ${debianPackage})`,
	);
}

export function fileTail(file: string, lines = 20): string {
	return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : `(no ${file})`;
}

/** Kills a pid (read from a pid file or given) and waits until it is gone. */
export async function killAndWait(
	pid: number | undefined,
	signal: NodeJS.Signals = 'SIGTERM',
	timeoutMs = 10000,
) {
	if (!pid) return;
	try {
		process.kill(pid, signal);
	} catch {
		return;
	}
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		try {
			process.kill(pid, 0);
			const state = readFileSync(`/proc/${pid}/status`, 'utf8');
			if (/^State:\s+Z/m.test(state)) return;
		} catch {
			return;
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	try {
		process.kill(pid, 'SIGKILL');
	} catch {
		// already gone
	}
}

export function readPid(file: string): number | undefined {
	return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) || undefined : undefined;
}

export function removeDir(dir: string): void {
	if (!process.env.HOMELAB_KEEP_SERVICES) rmSync(dir, { recursive: true, force: true });
}
