-- 002: the durable job engine. Times are milliseconds since the epoch; JSON is stored as text.
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  input TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  result TEXT,
  error TEXT,
  lock_keys TEXT NOT NULL DEFAULT '[]',
  idempotency_key TEXT UNIQUE,
  callback_url TEXT,
  callback_state TEXT CHECK (callback_state IN ('pending', 'delivered', 'failed')),
  callback_attempts INTEGER NOT NULL DEFAULT 0,
  callback_next_at INTEGER,
  callback_error TEXT,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_token TEXT,
  lease_until INTEGER,
  claims INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  updated_at INTEGER NOT NULL
);
CREATE INDEX jobs_runnable ON jobs (status, created_at);
CREATE INDEX jobs_callbacks ON jobs (callback_state, callback_next_at);
CREATE TABLE job_steps (
  job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'skipped', 'failed')),
  output TEXT,
  -- what a running step saved mid-way (e.g. the UPID of the task it started), for its next attempt
  checkpoint TEXT,
  error TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  failures INTEGER NOT NULL DEFAULT 0,
  started_at INTEGER,
  finished_at INTEGER,
  PRIMARY KEY (job_id, idx)
);
CREATE TABLE job_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX job_events_by_job ON job_events (job_id, id);
-- one holder per resource key (e.g. "vm:pve1/101"): taken when a job is first claimed, kept until it ends
CREATE TABLE resource_locks (
  key TEXT PRIMARY KEY,
  job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  acquired_at INTEGER NOT NULL
);
