/**
 * `.homelabignore` at the vault's root: which files the indexer skips, in a small subset of gitignore.
 *   - one pattern a line; blank lines and lines starting with `#` are ignored
 *   - `*` matches within one path segment, `?` one character, `**` any number of segments
 *   - a pattern without `/` (other than a trailing one) matches a file or folder name at any depth
 *   - a pattern containing `/` is anchored at the vault's root (`/drafts` and `drafts/` work as in git)
 *   - a trailing `/` matches folders only (and everything under them)
 *   - `!pattern` re-includes what an earlier pattern excluded (the last matching pattern wins)
 * Hidden folders (`.obsidian/`, `.git/`, `.trash/`) and files other than `.md` (attachments) are always skipped.
 */
export const IGNORE_FILE = '.homelabignore';

interface Rule {
	negate: boolean;
	folderOnly: boolean;
	regex: RegExp;
}

function globToRegex(glob: string, anchored: boolean): RegExp {
	let out = '';
	for (let i = 0; i < glob.length; i++) {
		const char = glob[i];
		if (char === '*' && glob[i + 1] === '*') {
			// `**/` = any folders (or none); a final `**` = everything below
			if (glob[i + 2] === '/') {
				out += '(?:.*/)?';
				i += 2;
			} else {
				out += '.*';
				i += 1;
			}
		} else if (char === '*') out += '[^/]*';
		else if (char === '?') out += '[^/]';
		else out += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
	}
	return new RegExp(`^${anchored ? '' : '(?:.*/)?'}${out}$`);
}

export class IgnoreRules {
	private readonly rules: Rule[];

	constructor(text = '') {
		this.rules = text
			.split(/\r?\n/)
			.map((line) => line.trim())
			.filter((line) => line && !line.startsWith('#'))
			.map((line) => {
				const negate = line.startsWith('!');
				let pattern = negate ? line.slice(1) : line;
				const folderOnly = pattern.endsWith('/');
				pattern = pattern.replace(/\/+$/, '');
				const anchored = pattern.includes('/');
				return { negate, folderOnly, regex: globToRegex(pattern.replace(/^\//, ''), anchored) };
			});
	}

	/** `relativePath` uses `/`; `isFolder` for folders (a folder's exclusion covers everything inside it) */
	ignores(relativePath: string, isFolder: boolean): boolean {
		let ignored = false;
		for (const rule of this.rules) {
			if (rule.folderOnly && !isFolder) continue;
			if (rule.regex.test(relativePath)) ignored = !rule.negate;
		}
		return ignored;
	}
}
