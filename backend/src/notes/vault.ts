import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

import { IGNORE_FILE, IgnoreRules } from './ignore';

/** bigger than any note a person writes; a file this large is a dump or a mistake, and would swamp the index */
export const MAX_NOTE_BYTES = 5 * 1024 * 1024;

export interface VaultFile {
	/** relative to the vault, with `/` */
	path: string;
	absolute: string;
	size: number;
	/** modification time (ms): with the size, what lets a re-index skip reading a file that did not change */
	mtimeMs: number;
}

/** runs `fn` over `items` with at most `width` in flight (file system calls overlap; the order is kept) */
export async function mapPool<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
	const results = new Array<R>(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await fn(items[index]);
		}
	};
	await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
	return results;
}

export interface VaultListing {
	files: VaultFile[];
	/** what was skipped and why, with the path: the rest of the vault is still indexed */
	warnings: string[];
}

/** the vault's Markdown notes, minus hidden folders, attachments and what `.homelabignore` lists */
export async function listVault(root: string): Promise<VaultListing> {
	const rules = new IgnoreRules(await readFile(path.join(root, IGNORE_FILE), 'utf8').catch(() => ''));
	const found: Array<{ path: string; absolute: string }> = [];
	const warnings: string[] = [];
	const walk = async (folder: string): Promise<void> => {
		let entries;
		try {
			entries = await readdir(path.join(root, folder), { withFileTypes: true });
		} catch (error) {
			warnings.push(
				`${folder || '.'}: folder not readable (${(error as NodeJS.ErrnoException).code}); skipped`,
			);
			return;
		}
		entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
		for (const entry of entries) {
			if (entry.name.startsWith('.')) continue; // .obsidian/, .git/, .trash/, .homelabignore
			const relative = folder ? `${folder}/${entry.name}` : entry.name;
			const absolute = path.join(root, relative);
			let isFolder = entry.isDirectory();
			if (entry.isSymbolicLink()) {
				const target = await stat(absolute).catch(() => undefined);
				if (!target) {
					warnings.push(`${relative}: broken symbolic link; skipped`);
					continue;
				}
				if (target.isDirectory()) {
					// a linked folder may link back up (a loop) or out of the vault: not followed
					if (!rules.ignores(relative, true))
						warnings.push(`${relative}: symbolic link to a folder, not followed`);
					continue;
				}
				isFolder = false;
			}
			if (rules.ignores(relative, isFolder)) continue;
			if (isFolder) await walk(relative);
			else if (/\.md$/i.test(entry.name)) found.push({ path: relative, absolute });
		}
	};
	const top = await lstat(root);
	if (!top.isDirectory()) throw new Error(`${root} is not a folder`);
	await walk('');
	const stats = await mapPool(found, 32, (file) => stat(file.absolute).catch(() => undefined));
	const files: VaultFile[] = [];
	found.forEach((file, i) => {
		const info = stats[i];
		if (info) files.push({ ...file, size: info.size, mtimeMs: Math.trunc(info.mtimeMs) });
		else warnings.push(`${file.path}: vanished or not readable while listing; skipped`);
	});
	return { files, warnings };
}

export interface NoteSource {
	text: string;
	hash: string;
}

/** a note's text and content hash, or a reason it cannot be indexed (too big, binary, unreadable) */
export async function readNote(file: VaultFile): Promise<NoteSource | { skip: string }> {
	try {
		if (file.size > MAX_NOTE_BYTES)
			return {
				skip: `${file.path}: ${(file.size / 1024 / 1024).toFixed(1)} MB is over the ${MAX_NOTE_BYTES / 1024 / 1024} MB a note may have; skipped (split it, or list it in ${IGNORE_FILE})`,
			};
		const bytes = await readFile(file.absolute);
		if (bytes.includes(0)) return { skip: `${file.path}: binary content (NUL bytes) in a .md file; skipped` };
		return { text: bytes.toString('utf8'), hash: createHash('sha256').update(bytes).digest('hex') };
	} catch (error) {
		return {
			skip: `${file.path}: not readable (${(error as NodeJS.ErrnoException).code ?? 'error'}); skipped`,
		};
	}
}
