import type { Query, SqlDriver } from '../store/sql';
import type { ParsedNote } from './markdown';

/** What the notes module needs of the backend's store: SQL statements and transactions. */
export type NotesSql = Pick<SqlDriver, 'dialect' | 'query' | 'tx'>;

/** one change to the index, applied with others of its batch in one transaction */
export type NoteWrite =
	| { kind: 'put'; path: string; file: FileState; note: ParsedNote }
	| { kind: 'remove'; path: string }
	| { kind: 'rename'; from: string; to: string; file: FileState }
	/** same content, new size/mtime (touched, or copied back): only the stat is recorded */
	| { kind: 'stat'; path: string; file: FileState };

/** what a re-index compares: the content hash, and size + mtime to skip reading unchanged files */
export interface FileState {
	hash: string;
	size: number;
	mtimeMs: number;
}

export interface ChunkMatch {
	vault: string;
	path: string;
	title: string;
	aliases: string[];
	headingPath: string[];
	lineStart: number;
	lineEnd: number;
	snippet: string;
	/** bm25() of the chunk: lower is better (SQLite's sign) */
	bm25: number;
	/** other notes whose [[links]] point at this note */
	inbound: number;
}

/** the file name without folders and .md, lower case: what Obsidian resolves `[[Name]]` to */
export const linkName = (pathOrTarget: string) =>
	pathOrTarget.split('/').pop()!.replace(/\.md$/i, '').toLowerCase();

/** FTS column weights (title, aliases, headings, body, tags): a word in a note's name or alias counts most */
const WEIGHTS = '8.0, 6.0, 3.0, 1.0, 4.0';

export class NotesStore {
	constructor(private readonly sql: NotesSql) {
		if (sql.dialect !== 'sqlite')
			throw new Error(
				'the notes index needs the SQLite store for now (FTS5); this backend uses PostgreSQL. Run notes on an instance with HOMELAB_BACKEND_DB (SQLite).',
			);
	}

	/** path -> hash, size and mtime of every note indexed for `vault` */
	async files(vault: string): Promise<Map<string, FileState>> {
		const rows = await this.sql.query('SELECT path, hash, size, mtime_ms FROM notes WHERE vault = ?', [
			vault,
		]);
		return new Map(
			rows.map((row) => [
				String(row.path),
				{ hash: String(row.hash), size: Number(row.size), mtimeMs: Number(row.mtime_ms) },
			]),
		);
	}

	/** applies a batch in one transaction; returns how many chunks it wrote */
	apply(vault: string, writes: NoteWrite[], now: number): Promise<number> {
		return this.sql.tx(async (query) => {
			let chunks = 0;
			for (const write of writes) {
				if (write.kind === 'remove') await this.remove(query, vault, write.path);
				else if (write.kind === 'rename') await this.rename(query, vault, write.from, write.to, write.file);
				else if (write.kind === 'stat')
					await query('UPDATE notes SET size = ?, mtime_ms = ? WHERE vault = ? AND path = ?', [
						write.file.size,
						write.file.mtimeMs,
						vault,
						write.path,
					]);
				else chunks += await this.put(query, vault, write.path, write.file, write.note, now);
			}
			return chunks;
		});
	}

	private async remove(query: Query, vault: string, path: string): Promise<void> {
		await query(
			'DELETE FROM note_chunks_fts WHERE rowid IN (SELECT id FROM note_chunks WHERE vault = ? AND path = ?)',
			[vault, path],
		);
		// chunks and links go with the note (ON DELETE CASCADE)
		await query('DELETE FROM notes WHERE vault = ? AND path = ?', [vault, path]);
	}

	/** same content, new path: the rows move (ON UPDATE CASCADE); only the name-derived title is rewritten */
	private async rename(
		query: Query,
		vault: string,
		from: string,
		to: string,
		file: FileState,
	): Promise<void> {
		const title = to.split('/').pop()!.replace(/\.md$/i, '');
		await query(
			'UPDATE notes SET path = ?, name = ?, title = ?, size = ?, mtime_ms = ? WHERE vault = ? AND path = ?',
			[to, linkName(to), title, file.size, file.mtimeMs, vault, from],
		);
		await query(
			'UPDATE note_chunks_fts SET title = ? WHERE rowid IN (SELECT id FROM note_chunks WHERE vault = ? AND path = ?)',
			[title, vault, to],
		);
	}

	private async put(
		query: Query,
		vault: string,
		path: string,
		file: FileState,
		note: ParsedNote,
		now: number,
	): Promise<number> {
		await this.remove(query, vault, path);
		await query(
			`INSERT INTO notes (vault, path, name, title, aliases, tags, frontmatter, hash, size, mtime_ms, indexed_at)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			[
				vault,
				path,
				linkName(path),
				note.title,
				JSON.stringify(note.aliases),
				JSON.stringify(note.tags),
				JSON.stringify(note.frontmatter, (_key, value: unknown) =>
					value instanceof Date ? value.toISOString().slice(0, 10) : value,
				),
				file.hash,
				file.size,
				file.mtimeMs,
				now,
			],
		);
		for (const chunk of note.chunks) {
			const rows = await query(
				`INSERT INTO note_chunks (vault, path, heading_path, line_start, line_end) VALUES (?, ?, ?, ?, ?) RETURNING id`,
				[vault, path, JSON.stringify(chunk.headingPath), chunk.lineStart, chunk.lineEnd],
			);
			await query(
				'INSERT INTO note_chunks_fts (rowid, title, aliases, headings, body, tags) VALUES (?, ?, ?, ?, ?, ?)',
				[
					rows[0].id,
					note.title,
					note.aliases.join(' | '),
					chunk.headingPath.join(' > '),
					chunk.text,
					note.tags.join(' '),
				],
			);
		}
		const targets = new Set(note.links.filter((link) => !link.embed).map((link) => linkName(link.target)));
		for (const target of targets)
			await query('INSERT INTO note_links (vault, source, target) VALUES (?, ?, ?)', [vault, path, target]);
		return note.chunks.length;
	}

	/** the `limit` best chunks for an FTS5 MATCH expression, with what the ranking boosts need */
	async match(expression: string, limit: number, vault?: string): Promise<ChunkMatch[]> {
		const rows = await this.sql.query(
			`SELECT c.vault, c.path, c.heading_path, c.line_start, c.line_end, n.title, n.aliases,
			   bm25(note_chunks_fts, ${WEIGHTS}) AS rank,
			   snippet(note_chunks_fts, 3, '**', '**', '…', 16) AS snippet,
			   (SELECT count(DISTINCT l.source) FROM note_links l
			     WHERE l.vault = n.vault AND l.target = n.name AND l.source <> n.path) AS inbound
			 FROM note_chunks_fts
			 JOIN note_chunks c ON c.id = note_chunks_fts.rowid
			 JOIN notes n ON n.vault = c.vault AND n.path = c.path
			 WHERE note_chunks_fts MATCH ? ${vault ? 'AND c.vault = ?' : ''}
			 ORDER BY rank LIMIT ?`,
			vault ? [expression, vault, limit] : [expression, limit],
		);
		return rows.map((row) => ({
			vault: String(row.vault),
			path: String(row.path),
			title: String(row.title),
			aliases: JSON.parse(String(row.aliases)) as string[],
			headingPath: JSON.parse(String(row.heading_path)) as string[],
			lineStart: Number(row.line_start),
			lineEnd: Number(row.line_end),
			snippet: String(row.snippet),
			bm25: Number(row.rank),
			inbound: Number(row.inbound),
		}));
	}

	async counts(vault?: string): Promise<{ notes: number; chunks: number }> {
		const where = vault ? 'WHERE vault = ?' : '';
		const params = vault ? [vault] : [];
		const notes = await this.sql.query(`SELECT count(*) AS n FROM notes ${where}`, params);
		const chunks = await this.sql.query(`SELECT count(*) AS n FROM note_chunks ${where}`, params);
		return { notes: Number(notes[0].n), chunks: Number(chunks[0].n) };
	}
}
