import { statSync } from 'node:fs';
import path from 'node:path';

import { defineJob, type Json } from '../engine/types';
import { indexVault } from './indexer';
import type { NotesStore } from './store';

export interface NotesIndexInput {
	/** absolute path of the vault folder, as the backend sees it */
	vault: string;
}

export const NOTES_INDEX = 'notes-index';

/**
 * notes-index: brings one vault's index up to date (incremental: only notes whose content hash changed are
 * re-chunked). One step; a restarted engine re-runs it, which redoes only what the crash left unwritten.
 * Progress events say how many changed notes are written; the result is the index report.
 */
export function notesIndexJob(notes: NotesStore) {
	return defineJob<NotesIndexInput, unknown>({
		type: NOTES_INDEX,
		description:
			'Indexes an Obsidian vault folder for GET /v1/notes/search: only notes changed since the last run are re-read into the index.',
		inputSchema: {
			type: 'object',
			required: ['vault'],
			additionalProperties: false,
			properties: { vault: { type: 'string', minLength: 1, maxLength: 4096 } },
		},
		validate(input) {
			if (!path.isAbsolute(input.vault))
				throw new Error(
					`vault must be an absolute path (the backend's view of the folder), got ${input.vault}`,
				);
			const info = statSync(input.vault, { throwIfNoEntry: false });
			if (!info) throw new Error(`vault folder ${input.vault} does not exist on the backend's machine`);
			if (!info.isDirectory()) throw new Error(`vault ${input.vault} is a file; give the vault's folder`);
		},
		// one indexer per vault at a time; different vaults index side by side
		locks: (input) => [`notes:${path.resolve(input.vault)}`],
		steps: () => [
			{
				name: 'index',
				retry: { maxAttempts: 2 },
				run: async (ctx) => {
					const report = await indexVault(notes, ctx.input.vault, {
						signal: ctx.signal,
						onProgress: (done, total) =>
							ctx.progress(`${done}/${total} index writes committed`, { done, total }),
					});
					return report as unknown as Json;
				},
			},
		],
		result: (results) => results.index,
	});
}
