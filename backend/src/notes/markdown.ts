import { parse as parseYaml } from 'yaml';

/**
 * Obsidian Markdown, read for indexing: YAML frontmatter, headings, [[wikilinks]], inline #tags and callouts.
 * The text itself is never rewritten: a chunk is the note's own lines (tables, callouts and code blocks intact),
 * cut only at headings, so a citation's line range points at exactly what the reader will see in Obsidian.
 */

export interface WikiLink {
	/** the linked note as written, without .md, #heading or |alias ("folder/Note") */
	target: string;
	heading?: string;
	alias?: string;
	/** `![[...]]`: an embed (transclusion or attachment) */
	embed: boolean;
	line: number;
}

export interface Callout {
	/** note, warning, tip, ... (lower case, as Obsidian matches it) */
	type: string;
	title: string;
	line: number;
}

export interface Chunk {
	/** the headings above and including this section's own, outermost first; [] before the first heading */
	headingPath: string[];
	/** 1-based, inclusive, counted in the file (frontmatter lines included) */
	lineStart: number;
	lineEnd: number;
	text: string;
}

export interface ParsedNote {
	title: string;
	aliases: string[];
	/** frontmatter tags and inline #tags, without '#', de-duplicated, in order of appearance */
	tags: string[];
	/** the frontmatter as parsed ({} when there is none or it is invalid) */
	frontmatter: Record<string, unknown>;
	/** a problem worth a warning that did not stop the note from being indexed (invalid frontmatter) */
	warnings: string[];
	links: WikiLink[];
	callouts: Callout[];
	chunks: Chunk[];
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const WIKILINK = /(!?)\[\[([^\]|#\n]*)(?:#([^\]|\n]*))?(?:\|([^\]\n]*))?\]\]/g;
/** Obsidian tags: after start or whitespace, letters/digits/_-/ and at least one non-digit */
const INLINE_TAG = /(?<=^|\s)#([\p{L}\p{N}_/-]*[\p{L}_/-][\p{L}\p{N}_/-]*)/gu;
const CALLOUT = /^ {0,3}>\s*\[!([\w-]+)\][+-]?\s*(.*)$/;

/** a string or list of strings from frontmatter (Obsidian accepts both, and comma-separated tags) */
function stringList(value: unknown, splitCommas = false): string[] {
	const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
	return items
		.filter((item) => typeof item === 'string' || typeof item === 'number')
		.flatMap((item) => (splitCommas ? String(item).split(',') : [String(item)]))
		.map((item) => item.trim())
		.filter(Boolean);
}

/** `---` on the first line up to the next `---` or `...`; its lines are still counted for line ranges */
function splitFrontmatter(lines: string[]): { yaml: string | undefined; bodyStart: number } {
	if (lines[0]?.trimEnd() !== '---') return { yaml: undefined, bodyStart: 0 };
	for (let i = 1; i < lines.length; i++)
		if (lines[i].trimEnd() === '---' || lines[i].trimEnd() === '...')
			return { yaml: lines.slice(1, i).join('\n'), bodyStart: i + 1 };
	return { yaml: undefined, bodyStart: 0 };
}

function readFrontmatter(yaml: string | undefined, warnings: string[]): Record<string, unknown> {
	if (yaml === undefined || !yaml.trim()) return {};
	try {
		const value: unknown = parseYaml(yaml);
		if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
		warnings.push('frontmatter is not a YAML mapping (key: value lines); it was ignored');
	} catch (error) {
		const first = (error as Error).message.split('\n')[0].replace(/:\s*$/, '');
		warnings.push(`invalid YAML frontmatter (${first}); the note was indexed without it`);
	}
	return {};
}

/** inline code spans hold neither tags nor links */
const withoutInlineCode = (line: string) => line.replace(/`[^`]*`/g, (span) => ' '.repeat(span.length));

export function parseNote(relativePath: string, source: string): ParsedNote {
	const lines = source.replace(/\r\n?/g, '\n').split('\n');
	const warnings: string[] = [];
	const { yaml, bodyStart } = splitFrontmatter(lines);
	const frontmatter = readFrontmatter(yaml, warnings);
	const tags = new Set(
		stringList(frontmatter.tags ?? frontmatter.tag, true).map((tag) => tag.replace(/^#/, '')),
	);
	const aliases = stringList(frontmatter.aliases ?? frontmatter.alias);
	const links: WikiLink[] = [];
	const callouts: Callout[] = [];
	const chunks: Chunk[] = [];
	const headingStack: Array<{ level: number; text: string }> = [];
	let chunkStart = bodyStart;
	let fence: string | undefined;

	const closeChunk = (until: number) => {
		let end = until;
		while (end > chunkStart && !lines[end - 1].trim()) end--; // trailing blank lines belong to no one
		const text = lines.slice(chunkStart, end).join('\n');
		if (text.trim())
			chunks.push({
				headingPath: headingStack.map((heading) => heading.text),
				lineStart: chunkStart + 1,
				lineEnd: end,
				text,
			});
	};

	for (let i = bodyStart; i < lines.length; i++) {
		const line = lines[i];
		const fenceMatch = FENCE.exec(line);
		if (fence) {
			if (fenceMatch && fenceMatch[1][0] === fence[0] && fenceMatch[1].length >= fence.length)
				fence = undefined;
			continue;
		}
		if (fenceMatch) {
			fence = fenceMatch[1];
			continue;
		}
		const heading = HEADING.exec(line);
		if (heading) {
			closeChunk(i);
			chunkStart = i;
			const level = heading[1].length;
			while (headingStack.length && headingStack[headingStack.length - 1].level >= level) headingStack.pop();
			headingStack.push({ level, text: heading[2].trim() });
		}
		const callout = CALLOUT.exec(line);
		if (callout) callouts.push({ type: callout[1].toLowerCase(), title: callout[2].trim(), line: i + 1 });
		const plain = withoutInlineCode(line);
		for (const match of plain.matchAll(WIKILINK)) {
			const target = match[2].trim().replace(/\.md$/i, '');
			if (!target) continue; // [[#heading]] points into the same note
			links.push({
				target,
				...(match[3]?.trim() ? { heading: match[3].trim() } : {}),
				...(match[4]?.trim() ? { alias: match[4].trim() } : {}),
				embed: match[1] === '!',
				line: i + 1,
			});
		}
		if (!heading) for (const match of plain.matchAll(INLINE_TAG)) tags.add(match[1]);
	}
	closeChunk(lines.length);
	const name = relativePath.split('/').pop()!.replace(/\.md$/i, '');
	return { title: name, aliases, tags: [...tags], frontmatter, warnings, links, callouts, chunks };
}
