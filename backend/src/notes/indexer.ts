import { realpath, stat } from 'node:fs/promises';

import { parseNote } from './markdown';
import type { FileState, NotesStore, NoteWrite } from './store';
import { listVault, mapPool, readNote, type VaultFile } from './vault';

export interface IndexReport {
	vault: string;
	/** notes found in the vault (after ignores), indexed or not */
	notes: number;
	added: number;
	changed: number;
	removed: number;
	renamed: number;
	unchanged: number;
	/** found but not indexable (too big, binary, unreadable); an earlier indexed version is kept */
	skipped: number;
	/** chunks written by this run (0 when nothing changed) */
	chunksWritten: number;
	/** per file: skipped files, invalid frontmatter, symlinked folders (the first 100) */
	warnings: string[];
	ms: number;
}

export interface IndexOptions {
	/** called after each batch is committed */
	onProgress?: (done: number, total: number) => Promise<void> | void;
	signal?: AbortSignal;
	/** notes written per transaction: small enough that jobs and searches get the store between batches */
	batchSize?: number;
	/** read and hash every note, even those whose size and mtime did not change */
	rehash?: boolean;
	now?: () => number;
}

const MAX_WARNINGS = 100;

/** the vault's canonical absolute path (how it is keyed in the index), or an error saying what is wrong */
export async function resolveVault(folder: string): Promise<string> {
	let resolved: string;
	try {
		resolved = await realpath(folder);
	} catch {
		throw new Error(`vault folder ${folder} does not exist (give the path of the folder holding .obsidian/)`);
	}
	if (!(await stat(resolved)).isDirectory()) throw new Error(`vault ${folder} is a file, not a folder`);
	return resolved;
}

/**
 * Brings the index of one vault up to date: reads the notes whose size or mtime changed since they were
 * indexed, hashes them, and writes only those whose hash changed; a note gone from one path whose content
 * appears at another is a rename (its rows move, nothing is re-chunked); notes no longer in the vault are
 * removed. Writes go in small transactions with a yield between them, so a 5,000-note vault does not hold the
 * store (or the event loop) for the whole run.
 */
export async function indexVault(
	store: NotesStore,
	folder: string,
	options: IndexOptions = {},
): Promise<IndexReport> {
	const started = Date.now();
	const now = options.now ?? Date.now;
	const batchSize = options.batchSize ?? 100;
	const vault = await resolveVault(folder);
	const listing = await listVault(vault);
	const warnings = [...listing.warnings];
	const before = await store.files(vault);
	const report: IndexReport = {
		vault,
		notes: listing.files.length,
		added: 0,
		changed: 0,
		removed: 0,
		renamed: 0,
		unchanged: 0,
		skipped: 0,
		chunksWritten: 0,
		warnings: [],
		ms: 0,
	};
	const seen = new Set<string>();
	const toRead: VaultFile[] = [];
	for (const file of listing.files) {
		seen.add(file.path);
		const known = before.get(file.path);
		// same size and mtime as indexed: unchanged without reading it (as git's index does); rehash reads all
		if (!options.rehash && known && known.size === file.size && known.mtimeMs === file.mtimeMs)
			report.unchanged++;
		else toRead.push(file);
	}
	const sources = await mapPool(toRead, 16, async (file) => {
		options.signal?.throwIfAborted();
		return readNote(file);
	});
	const renames: NoteWrite[] = [];
	const others: NoteWrite[] = [];
	const fresh: Array<{ path: string; state: FileState; text: string }> = [];
	toRead.forEach((file, i) => {
		const source = sources[i];
		if ('skip' in source) {
			report.skipped++;
			warnings.push(source.skip);
			return;
		}
		const state = { hash: source.hash, size: file.size, mtimeMs: file.mtimeMs };
		if (before.get(file.path)?.hash === source.hash) {
			report.unchanged++;
			others.push({ kind: 'stat', path: file.path, file: state });
		} else fresh.push({ path: file.path, state, text: source.text });
	});
	const gone = [...before.keys()].filter((path) => !seen.has(path));
	// a removed note's content at a new path is a rename (first match wins for duplicates)
	const goneByHash = new Map<string, string[]>();
	for (const path of gone) {
		const hash = before.get(path)!.hash;
		goneByHash.set(hash, [...(goneByHash.get(hash) ?? []), path]);
	}
	const moved = new Set<string>();
	for (const note of fresh) {
		const from = before.has(note.path) ? undefined : goneByHash.get(note.state.hash)?.shift();
		if (from) {
			moved.add(from);
			renames.push({ kind: 'rename', from, to: note.path, file: note.state });
			report.renamed++;
			continue;
		}
		const parsed = parseNote(note.path, note.text);
		for (const warning of parsed.warnings) warnings.push(`${note.path}: ${warning}`);
		others.push({ kind: 'put', path: note.path, file: note.state, note: parsed });
		if (before.has(note.path)) report.changed++;
		else report.added++;
	}
	for (const path of gone)
		if (!moved.has(path)) {
			others.push({ kind: 'remove', path });
			report.removed++;
		}
	// renames first: a rename's source path is never written by anything else in the run
	const writes = [...renames, ...others];
	for (let done = 0; done < writes.length; done += batchSize) {
		options.signal?.throwIfAborted();
		report.chunksWritten += await store.apply(vault, writes.slice(done, done + batchSize), now());
		await options.onProgress?.(Math.min(done + batchSize, writes.length), writes.length);
		await new Promise((resolve) => setImmediate(resolve));
	}
	report.warnings = warnings.slice(0, MAX_WARNINGS);
	if (warnings.length > MAX_WARNINGS) report.warnings.push(`... and ${warnings.length - MAX_WARNINGS} more`);
	report.ms = Date.now() - started;
	return report;
}
