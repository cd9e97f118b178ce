// The notes index over a real SQLite store: counts, incremental re-index (edit, delete, rename), ranking,
// bad input in the vault, and a measured 5,000-note vault.
import assert from 'node:assert/strict';
import {
	cpSync,
	mkdirSync,
	mkdtempSync,
	renameSync,
	rmSync,
	symlinkSync,
	unlinkSync,
	utimesSync,
	writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { indexVault } from '../../backend/src/notes/indexer';
import { searchNotes } from '../../backend/src/notes/search';
import { NotesStore } from '../../backend/src/notes/store';
import { MAX_NOTE_BYTES } from '../../backend/src/notes/vault';
import type { SqlStore } from '../../backend/src/store/sql';
import { openSqliteStore } from '../../backend/src/store/sqlite';
import { REPO_ROOT } from '../harness/runtime';

const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/vault');

describe('notes: index and search', () => {
	let dir: string;
	let vault: string;
	let store: SqlStore;
	let notes: NotesStore;

	before(async () => {
		dir = mkdtempSync(path.join(os.tmpdir(), 'homelab-notes-'));
		vault = path.join(dir, 'vault');
		cpSync(FIXTURE, vault, { recursive: true });
		store = openSqliteStore(path.join(dir, 'notes.sqlite'));
		await store.migrate();
		notes = new NotesStore(store.sql);
	});
	after(async () => {
		await store.close();
		rmSync(dir, { recursive: true, force: true });
	});

	/** the chunk rows of one note, to see whether a re-index rewrote them (new ids) or left them alone */
	const chunkIds = async (file: string) =>
		(await store.sql.query('SELECT id FROM note_chunks WHERE path = ? ORDER BY id', [file])).map((row) =>
			Number(row.id),
		);

	it('a first index adds every note and reports invalid frontmatter as a warning', async () => {
		const report = await indexVault(notes, vault);
		assert.equal(report.notes, 12);
		assert.deepEqual(
			[report.added, report.changed, report.removed, report.renamed, report.unchanged, report.skipped],
			[12, 0, 0, 0, 0, 0],
		);
		assert.ok(report.chunksWritten >= 20, `chunks ${report.chunksWritten}`);
		assert.equal(report.warnings.length, 1);
		assert.match(report.warnings[0], /^Broken frontmatter\.md: invalid YAML frontmatter/);
		assert.deepEqual(await notes.counts(), { notes: 12, chunks: report.chunksWritten });
	});

	it('ignored files are not searchable', async () => {
		assert.deepEqual(await searchNotes(notes, 'zebrafinch'), []);
	});

	it('a re-index of an unchanged vault writes nothing', async () => {
		const ids = await chunkIds('services/Synology NAS.md');
		const report = await indexVault(notes, vault);
		assert.deepEqual(
			[report.added, report.changed, report.removed, report.unchanged, report.chunksWritten],
			[0, 0, 0, 12, 0],
		);
		assert.deepEqual(await chunkIds('services/Synology NAS.md'), ids);
		// touched (new mtime, same content): read and hashed, found equal, not rewritten
		utimesSync(path.join(vault, 'services/Synology NAS.md'), new Date(), new Date(Date.now() + 5000));
		const touched = await indexVault(notes, vault);
		assert.deepEqual([touched.changed, touched.unchanged, touched.chunksWritten], [0, 12, 0]);
		assert.deepEqual(await chunkIds('services/Synology NAS.md'), ids);
		const rehashed = await indexVault(notes, vault, { rehash: true });
		assert.deepEqual([rehashed.changed, rehashed.unchanged, rehashed.chunksWritten], [0, 12, 0]);
	});

	it('editing one note re-indexes only that note', async () => {
		const untouched = await chunkIds('services/Synology NAS.md');
		const edited = await chunkIds('Network.md');
		writeFileSync(path.join(vault, 'Network.md'), '# Network\n\nVLAN 40 holds the cameras (quokka).\n');
		const report = await indexVault(notes, vault);
		assert.deepEqual([report.added, report.changed, report.removed, report.unchanged], [0, 1, 0, 11]);
		assert.equal(report.chunksWritten, 1);
		assert.deepEqual(await chunkIds('services/Synology NAS.md'), untouched);
		assert.notDeepEqual(await chunkIds('Network.md'), edited);
		const [hit] = await searchNotes(notes, 'quokka');
		assert.equal(hit.path, 'Network.md');
		assert.deepEqual(hit.lines, { start: 1, end: 3 });
		assert.deepEqual(await searchNotes(notes, 'PowerDNS'), [], 'the old text is gone');
	});

	it('a deleted note leaves the index, with its chunks and links', async () => {
		unlinkSync(path.join(vault, 'Inbox.md'));
		const report = await indexVault(notes, vault);
		assert.deepEqual([report.removed, report.unchanged, report.notes], [1, 11, 11]);
		assert.deepEqual(await searchNotes(notes, 'toner'), []);
		assert.deepEqual(await chunkIds('Inbox.md'), []);
	});

	it('a renamed note moves (same chunks, new path and title), nothing else is touched', async () => {
		const ids = await chunkIds('services/Home Assistant.md');
		mkdirSync(path.join(vault, 'automation'));
		renameSync(path.join(vault, 'services/Home Assistant.md'), path.join(vault, 'automation/Hass OS.md'));
		const report = await indexVault(notes, vault);
		assert.deepEqual(
			[report.renamed, report.added, report.removed, report.changed, report.chunksWritten],
			[1, 0, 0, 0, 0],
		);
		assert.deepEqual(await chunkIds('automation/Hass OS.md'), ids);
		const [hit] = await searchNotes(notes, 'Zigbee stick');
		assert.equal(hit.path, 'automation/Hass OS.md');
		assert.equal(hit.title, 'Hass OS');
		assert.deepEqual(hit.headingPath, ['Home Assistant', 'Zigbee']);
	});

	it('hits carry path, heading path, line range, snippet, score and mode; accents are optional', async () => {
		const [hit] = await searchNotes(notes, 'Procedure de recuperation');
		assert.equal(hit.path, 'Sauvegarde.md');
		assert.deepEqual(hit.headingPath, ['Sauvegarde des données', 'Procédure de récupération']);
		assert.deepEqual(hit.lines, { start: 9, end: 11 });
		assert.match(hit.snippet, /\*\*Procédure\*\*/);
		assert.equal(hit.mode, 'full-text');
		assert.ok(hit.score > 0);
		const [german] = await searchNotes(notes, 'nachtliche Sicherung');
		assert.equal(german.path, 'Datensicherung.md');
	});

	it("a note's alias lifts it above notes that only mention the word", async () => {
		// "NAS" appears in six notes' text; only one note is aliased NAS
		const hits = await searchNotes(notes, 'NAS');
		assert.equal(hits[0].path, 'services/Synology NAS.md');
		const [hass] = await searchNotes(notes, 'hypervisor');
		assert.equal(hass.path, 'services/Proxmox cluster.md');
		const [caddy] = await searchNotes(notes, 'caddy decision');
		assert.equal(caddy.path, 'decisions/2025-02 Reverse proxy.md');
	});

	it('bad files are warnings and the rest of the vault is still indexed', async () => {
		writeFileSync(path.join(vault, 'binary.md'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x10]));
		writeFileSync(path.join(vault, 'huge.md'), Buffer.alloc(MAX_NOTE_BYTES + 1, 'a'));
		symlinkSync(vault, path.join(vault, 'loop'));
		writeFileSync(path.join(vault, 'fresh.md'), '# Fresh\nwombat\n');
		const report = await indexVault(notes, vault);
		assert.deepEqual([report.added, report.skipped], [1, 2]);
		assert.ok(report.warnings.some((warning) => /^binary\.md: binary content/.test(warning)));
		assert.ok(report.warnings.some((warning) => /^huge\.md: .* MB is over the 5 MB/.test(warning)));
		assert.ok(
			report.warnings.some((warning) => /^loop: symbolic link to a folder, not followed/.test(warning)),
		);
		assert.equal((await searchNotes(notes, 'wombat'))[0].path, 'fresh.md');
	});

	it('a vault that does not exist is an error naming it', async () => {
		await assert.rejects(indexVault(notes, path.join(dir, 'nope')), /vault folder .*nope does not exist/);
	});
});

describe('notes: ranking boosts', () => {
	it('an exact alias match beats a note that says the word more; inbound links break a tie', async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'homelab-notes-rank-'));
		const store = openSqliteStore(path.join(dir, 'notes.sqlite'));
		try {
			await store.migrate();
			const notes = new NotesStore(store.sql);
			const vault = path.join(dir, 'vault');
			const write = (file: string, text: string) => writeFileSync(path.join(vault, file), text);
			mkdirSync(vault);
			// BM25 alone puts the wishlist first (the word in its title and four times in a short text)
			write(
				'a-wishlist.md',
				'# Quokkastation wishlist\n\nA second quokkastation for the office; compare quokkastation models before buying a quokkastation.\n',
			);
			write(
				'b-box.md',
				'---\naliases: [quokkastation]\n---\n# Box\n\nThe box in the rack holds the media library and backups.\n',
			);
			// identical text: only the two notes linking to d-plain tell them apart
			write('c-plain.md', '# Plain\n\nThe wombat service restarts nightly.\n');
			write('d-plain.md', '# Plain\n\nThe wombat service restarts nightly.\n');
			write('e-hub.md', '# Hub\n\nSee [[d-plain]].\n');
			write('f-hub.md', '# Hub two\n\nSee [[d-plain#Plain|the plain note]] too.\n');
			await indexVault(notes, vault);
			const raw = await notes.match('"quokkastation"', 10);
			assert.equal(raw[0].path, 'a-wishlist.md', 'the premise: BM25 alone ranks the wishlist first');
			assert.deepEqual(
				(await searchNotes(notes, 'quokkastation')).map((hit) => hit.path),
				['b-box.md', 'a-wishlist.md'],
			);
			const wombat = await searchNotes(notes, 'wombat');
			assert.deepEqual(
				wombat.map((hit) => hit.path),
				['d-plain.md', 'c-plain.md'],
			);
			assert.ok(wombat[0].score > wombat[1].score);
		} finally {
			await store.close();
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('notes: a generated 5,000-note vault', () => {
	it('indexes fully, then re-indexes one edited note alone (prints notes/s and the update time)', async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'homelab-notes-big-'));
		const store = openSqliteStore(path.join(dir, 'notes.sqlite'));
		try {
			await store.migrate();
			const notes = new NotesStore(store.sql);
			const vault = path.join(dir, 'vault');
			const count = 5000;
			for (let folder = 0; folder < 50; folder++)
				mkdirSync(path.join(vault, `area-${folder}`), { recursive: true });
			for (let i = 0; i < count; i++)
				writeFileSync(
					path.join(vault, `area-${i % 50}`, `note-${i}.md`),
					`---\ntags: [gen, t${i % 7}]\naliases: [n${i}]\n---\n# Note ${i}\n\nAbout service ${i % 97} and [[note-${(i * 7) % count}]].\n\n## Details\n\n${'word '.repeat(40)}item${i}\n\n## Log\n\n- ${new Date(1_700_000_000_000 + i * 86_400_000).toISOString()} checked\n`,
				);
			const full = await indexVault(notes, vault);
			assert.equal(full.added, count);
			assert.equal(full.chunksWritten, count * 3);
			writeFileSync(path.join(vault, 'area-3', 'note-53.md'), '# Note 53\n\nnow about platypus\n');
			const started = process.hrtime.bigint();
			const update = await indexVault(notes, vault);
			const updateMs = Number(process.hrtime.bigint() - started) / 1e6;
			assert.deepEqual([update.changed, update.unchanged, update.chunksWritten], [1, count - 1, 1]);
			assert.equal((await searchNotes(notes, 'platypus'))[0].path, 'area-3/note-53.md');
			console.log(
				`# notes index, ${count} generated notes: full ${full.ms} ms = ${Math.round((count / full.ms) * 1000)} notes/s; ` +
					`one edited note re-indexed in ${updateMs.toFixed(0)} ms (${count} files stat'ed, 1 read and written)`,
			);
		} finally {
			await store.close();
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
