-- 001: the backend's own bookkeeping. Job tables arrive with the job engine in later migrations.
CREATE TABLE instance_info (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO instance_info (key, value) VALUES ('created_at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
