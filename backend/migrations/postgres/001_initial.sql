-- 001 (PostgreSQL): the backend's own bookkeeping.
CREATE TABLE instance_info (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO instance_info (key, value)
VALUES ('created_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
