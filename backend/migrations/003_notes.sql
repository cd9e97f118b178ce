-- 003: the notes index (Obsidian vaults, see src/notes/). A note is keyed by its vault's absolute path and its
-- path inside the vault; `hash` (sha256 of the file) is what lets a re-index skip what did not change.
CREATE TABLE notes (
  vault TEXT NOT NULL,
  path TEXT NOT NULL,
  -- the file name without .md, lower case: what [[wikilinks]] resolve to
  name TEXT NOT NULL,
  title TEXT NOT NULL,
  aliases TEXT NOT NULL,
  tags TEXT NOT NULL,
  frontmatter TEXT NOT NULL,
  hash TEXT NOT NULL,
  -- the file's size and mtime when indexed: equal on the next run means unchanged without reading it
  size INTEGER NOT NULL,
  mtime_ms INTEGER NOT NULL,
  indexed_at INTEGER NOT NULL,
  PRIMARY KEY (vault, path)
);
CREATE INDEX notes_by_name ON notes (vault, name);
CREATE TABLE note_chunks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  vault TEXT NOT NULL,
  path TEXT NOT NULL,
  heading_path TEXT NOT NULL,
  line_start INTEGER NOT NULL,
  line_end INTEGER NOT NULL,
  FOREIGN KEY (vault, path) REFERENCES notes (vault, path) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX note_chunks_by_note ON note_chunks (vault, path);
-- one row per [[link]] target a note names (lower-case last path segment), for the "linked to by others" boost
CREATE TABLE note_links (
  vault TEXT NOT NULL,
  source TEXT NOT NULL,
  target TEXT NOT NULL,
  FOREIGN KEY (vault, source) REFERENCES notes (vault, path) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX note_links_by_target ON note_links (vault, target);
CREATE INDEX note_links_by_source ON note_links (vault, source);
-- BM25 over each chunk; rowid = note_chunks.id. remove_diacritics 2: "eleve" finds "élève", "Ubersicht" "Übersicht"
CREATE VIRTUAL TABLE note_chunks_fts USING fts5 (
  title, aliases, headings, body, tags,
  tokenize = "unicode61 remove_diacritics 2"
);
