// Reading Obsidian Markdown: frontmatter, headings, wikilinks, tags, callouts, chunk line ranges, ignores.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { IgnoreRules } from '../../backend/src/notes/ignore';
import { parseNote } from '../../backend/src/notes/markdown';
import { listVault } from '../../backend/src/notes/vault';
import { REPO_ROOT } from '../harness/runtime';

const VAULT = path.join(REPO_ROOT, 'test/fixtures/vault');
const read = (file: string) => parseNote(file, readFileSync(path.join(VAULT, file), 'utf8'));
/** the file's lines a..b (1-based, inclusive), to check a chunk's range against the file itself */
const fileLines = (file: string, a: number, b: number) =>
	readFileSync(path.join(VAULT, file), 'utf8')
		.split('\n')
		.slice(a - 1, b)
		.join('\n');

describe('notes: parsing Obsidian Markdown', () => {
	it('reads frontmatter aliases, tags, status and dates (lists, single strings, comma lists)', () => {
		const nas = read('services/Synology NAS.md');
		assert.equal(nas.title, 'Synology NAS');
		assert.deepEqual(nas.aliases, ['NAS', 'diskstation']);
		assert.deepEqual(nas.tags, ['storage', 'service']);
		assert.equal(nas.frontmatter.status, 'active');
		assert.equal(nas.frontmatter.created, '2025-03-02');
		const german = read('Datensicherung.md');
		assert.deepEqual(german.aliases, ['Übersicht Datensicherung']);
		assert.deepEqual(german.tags, ['deutsch']);
		assert.deepEqual(parseNote('x.md', '---\ntags: a, b\n---\ntext').tags, ['a', 'b']);
	});

	it('invalid frontmatter is a warning; the text is still chunked', () => {
		const broken = read('Broken frontmatter.md');
		assert.deepEqual(broken.frontmatter, {});
		assert.equal(broken.warnings.length, 1);
		assert.match(broken.warnings[0], /invalid YAML frontmatter/);
		assert.match(broken.chunks[0].text, /garage door/);
	});

	it('wikilinks keep target, #heading and |alias; embeds are marked; links in code are not links', () => {
		const nas = read('services/Synology NAS.md');
		assert.deepEqual(nas.links, [
			{
				target: 'Backup restore runbook',
				heading: 'Restore a share',
				alias: 'restore a share',
				embed: false,
				line: 19,
			},
		]);
		const note = parseNote(
			'x.md',
			'see ![[diagram.png]] and `[[not a link]]` and [[Folder/Other.md#Part]]\n```\n[[nor this]]\n```',
		);
		assert.deepEqual(
			note.links.map((link) => [link.target, link.heading, link.embed]),
			[
				['diagram.png', undefined, true],
				['Folder/Other', 'Part', false],
			],
		);
	});

	it('inline #tags join frontmatter tags; headings, numbers, code and URLs fragments are not tags', () => {
		const note = parseNote(
			'x.md',
			'---\ntags: [a]\n---\n# Title\nfix #todo and #area/lab, not #123, not `#code`, not x#y\n```\n#incode\n```',
		);
		assert.deepEqual(note.tags, ['a', 'todo', 'area/lab']);
		assert.deepEqual(read('Inbox.md').tags, ['errand']);
	});

	it('callouts are recognised with their type and title', () => {
		assert.deepEqual(read('services/Synology NAS.md').callouts, [
			{ type: 'warning', title: 'Disk health', line: 21 },
		]);
		assert.deepEqual(read('Network.md').callouts, [{ type: 'tip', title: 'DNS', line: 5 }]);
	});

	it('chunks by heading path with line ranges that point at the file; code blocks and tables stay whole', () => {
		const file = 'runbooks/Backup restore runbook.md';
		const runbook = read(file);
		assert.deepEqual(
			runbook.chunks.map((chunk) => [chunk.headingPath, chunk.lineStart, chunk.lineEnd]),
			[
				[['Backup restore runbook'], 7, 9],
				[['Backup restore runbook', 'Restore a share'], 11, 21],
				[['Backup restore runbook', 'Restore a VM'], 23, 30],
			],
		);
		for (const chunk of runbook.chunks)
			assert.equal(chunk.text, fileLines(file, chunk.lineStart, chunk.lineEnd));
		// the "# not a heading" comment inside the bash block did not cut the chunk
		assert.match(runbook.chunks[1].text, /```bash[\s\S]*diff -r[\s\S]*```/);
		assert.match(runbook.chunks[2].text, /\| restore \| `qmrestore <archive> <vmid>` \|$/);
	});

	it('a note without headings is one chunk with an empty heading path; nested headings pop correctly', () => {
		assert.deepEqual(
			read('Inbox.md').chunks.map((chunk) => [chunk.headingPath, chunk.lineStart, chunk.lineEnd]),
			[[[], 1, 1]],
		);
		const note = parseNote('x.md', 'intro\n# A\na\n## B\nb\n### C\nc\n## D\nd\n# E\ne');
		assert.deepEqual(
			note.chunks.map((chunk) => [chunk.headingPath.join('>'), chunk.lineStart, chunk.lineEnd]),
			[
				['', 1, 1],
				['A', 2, 3],
				['A>B', 4, 5],
				['A>B>C', 6, 7],
				['A>D', 8, 9],
				['E', 10, 11],
			],
		);
	});
});

describe('notes: which files are read', () => {
	it('skips .obsidian/, attachments, and what .homelabignore lists', async () => {
		const { files, warnings } = await listVault(VAULT);
		assert.deepEqual(warnings, []);
		const paths = files.map((file) => file.path);
		assert.equal(paths.length, 12);
		assert.ok(paths.includes('services/Synology NAS.md'));
		for (const skipped of ['.obsidian/workspace.md', 'drafts/unfinished.md', 'services/wifi.private.md'])
			assert.ok(!paths.includes(skipped), skipped);
		assert.ok(paths.every((file) => file.endsWith('.md')));
	});

	it('.homelabignore: globs, anchoring, folders only, ** and re-inclusion', () => {
		const rules = new IgnoreRules(
			'# comment\n\n*.tmp.md\n/Archive\ntemplates/\nlogs/**/old.md\n!keep.tmp.md\n',
		);
		assert.equal(rules.ignores('a/b/x.tmp.md', false), true);
		assert.equal(rules.ignores('keep.tmp.md', false), false);
		assert.equal(rules.ignores('Archive', true), true);
		assert.equal(rules.ignores('sub/Archive', true), false);
		assert.equal(rules.ignores('templates', true), true);
		assert.equal(rules.ignores('templates', false), false);
		assert.equal(rules.ignores('deep/templates', true), true);
		assert.equal(rules.ignores('logs/old.md', false), true);
		assert.equal(rules.ignores('logs/2024/05/old.md', false), true);
		assert.equal(rules.ignores('old.md', false), false);
	});
});
