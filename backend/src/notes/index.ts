/** Notes: an Obsidian vault as a local full-text index (markdown.ts reads, indexer.ts writes, search.ts ranks). */
export { indexVault, resolveVault, type IndexReport } from './indexer';
export { notesIndexJob, NOTES_INDEX } from './job';
export { parseNote, type ParsedNote } from './markdown';
export { notesRoutes } from './routes';
export { searchNotes, type SearchHit } from './search';
export { NotesStore } from './store';
