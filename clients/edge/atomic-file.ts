import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

// Files a running server watches (Traefik's file provider, a ledger beside AdGuard Home) must never be seen half
// written: a watcher that reads a truncated YAML file drops the whole provider's configuration
// (traefik#8921/#10890). So content goes to a temporary file in the same directory (same file system, so the
// rename is atomic), is flushed to disk, and replaces the target in one rename(2). The temporary name is hidden
// and ends in `.tmp`, an extension Traefik's directory loader ignores (it reads only .yml/.yaml/.toml).

/** The temporary name used while `target` is written; never ends in an extension a watcher loads. */
export function temporaryNameFor(target: string): string {
	return path.join(
		path.dirname(target),
		`.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
	);
}

/** Writes `content` to `target` atomically: readers see the old content or the new, never a mix. */
export async function writeFileAtomic(target: string, content: string, mode = 0o644): Promise<void> {
	const temporary = temporaryNameFor(target);
	const handle = await open(temporary, 'wx', mode);
	try {
		await handle.writeFile(content, 'utf8');
		await handle.sync();
	} catch (error) {
		await handle.close();
		await rm(temporary, { force: true });
		throw error;
	}
	await handle.close();
	try {
		await rename(temporary, target);
	} catch (error) {
		await rm(temporary, { force: true });
		throw error;
	}
	await syncDirectory(path.dirname(target));
}

/** Makes a rename durable (the directory entry itself is flushed); best effort where the OS refuses. */
async function syncDirectory(directory: string): Promise<void> {
	try {
		const handle = await open(directory, 'r');
		try {
			await handle.sync();
		} finally {
			await handle.close();
		}
	} catch {
		// some file systems refuse fsync on a directory; the rename itself is still atomic
	}
}
