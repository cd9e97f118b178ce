import type { ChunkMatch, NotesStore } from './store';

export interface SearchHit {
	path: string;
	vault: string;
	title: string;
	headingPath: string[];
	lines: { start: number; end: number };
	/** the best-matching words of the chunk, matches between ** */
	snippet: string;
	/** BM25 with the boosts below; higher is better; comparable within one answer only */
	score: number;
	/** which retrieval answered: full-text (BM25) alone until an embedding model is configured */
	mode: 'full-text';
}

export interface SearchOptions {
	limit?: number;
	vault?: string;
}

/** more chunks of one note add little: at most this many per note in one answer */
const PER_NOTE = 2;
const MAX_TERMS = 32;

/** lower case, accents off, words only: how names and queries are compared for the name boost */
const words = (text: string) =>
	text
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.match(/[\p{L}\p{N}]+/gu) ?? [];

/** the query's words as an FTS5 expression: each word quoted (no operator injection), any of them (OR) */
export function ftsExpression(query: string): string | undefined {
	const terms = [...new Set(query.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [])].slice(0, MAX_TERMS);
	return terms.length ? terms.map((term) => `"${term}"`).join(' OR ') : undefined;
}

/**
 * How much a note's name or an alias matching the query lifts its chunks: the query is the name (x2), or holds
 * all of the name's words (x1.5). Someone searching "NAS" means the note aliased NAS, not every note saying NAS.
 */
function nameBoost(match: ChunkMatch, queryWords: Set<string>, queryText: string): number {
	let boost = 1;
	for (const name of [match.title, ...match.aliases]) {
		const nameWords = words(name);
		if (!nameWords.length) continue;
		if (nameWords.join(' ') === queryText) return 2;
		if (nameWords.every((word) => queryWords.has(word))) boost = 1.5;
	}
	return boost;
}

/** notes other notes link to are hubs (runbooks, service notes): a gentle, logarithmic lift */
const linkBoost = (inbound: number) => 1 + 0.2 * Math.log1p(inbound);

/** BM25 over chunks (SQLite FTS5), then the name/alias and inbound-link boosts, best first */
export async function searchNotes(
	store: NotesStore,
	query: string,
	options: SearchOptions = {},
): Promise<SearchHit[]> {
	const expression = ftsExpression(query);
	if (!expression) return [];
	const limit = options.limit ?? 10;
	const queryWordList = words(query);
	const queryWords = new Set(queryWordList);
	const candidates = await store.match(expression, Math.max(50, limit * 5), options.vault);
	const scored = candidates
		.map((match) => ({
			match,
			score: -match.bm25 * nameBoost(match, queryWords, queryWordList.join(' ')) * linkBoost(match.inbound),
		}))
		.sort((a, b) => b.score - a.score);
	const perNote = new Map<string, number>();
	const hits: SearchHit[] = [];
	for (const { match, score } of scored) {
		const key = `${match.vault}\n${match.path}`;
		if ((perNote.get(key) ?? 0) >= PER_NOTE) continue;
		perNote.set(key, (perNote.get(key) ?? 0) + 1);
		hits.push({
			path: match.path,
			vault: match.vault,
			title: match.title,
			headingPath: match.headingPath,
			lines: { start: match.lineStart, end: match.lineEnd },
			snippet: match.snippet,
			score: Math.round(score * 10_000) / 10_000,
			mode: 'full-text',
		});
		if (hits.length >= limit) break;
	}
	return hits;
}
