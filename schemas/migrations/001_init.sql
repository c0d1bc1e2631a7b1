-- 001: the first schema. Applied in one transaction; PRAGMA user_version
-- records the highest migration applied (see engine/migrations.cpp).

-- People, from `org import`. roles: ';'-separated subset of hr, chairman, admin.
CREATE TABLE employees (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  unit          TEXT NOT NULL,
  grade         INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 4),
  supervisor_id TEXT,
  hrbp_id       TEXT,
  joined_on     TEXT NOT NULL,
  roles         TEXT NOT NULL DEFAULT '',
  active        INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;

-- One program run for one period over a scope (unit NULL = all units).
CREATE TABLE cycles (
  id        INTEGER PRIMARY KEY,
  program   TEXT NOT NULL,
  period    TEXT NOT NULL,
  unit      TEXT,
  opened_at TEXT NOT NULL,
  opened_by TEXT NOT NULL
);

-- One employee's assessment in one cycle. Scores are hundredths.
-- supervisor_id / hrbp_id are copied from the employee when the cycle opens.
CREATE TABLE cases (
  id            INTEGER PRIMARY KEY,
  cycle_id      INTEGER NOT NULL REFERENCES cycles(id),
  program       TEXT NOT NULL,
  period        TEXT NOT NULL,
  employee_id   TEXT NOT NULL,
  unit          TEXT NOT NULL,
  supervisor_id TEXT NOT NULL,
  hrbp_id       TEXT,
  as_of         TEXT NOT NULL,
  state         TEXT NOT NULL,
  self_json     TEXT,          -- the self review as submitted
  review_json   TEXT,          -- the supervisor's ratings and exams
  result_json   TEXT,          -- items, flags from scoring
  total         INTEGER,
  tier          INTEGER,
  adjusted_tier INTEGER,
  adjust_reason TEXT,
  updated_at    TEXT NOT NULL,
  UNIQUE (program, period, employee_id)
);
CREATE INDEX cases_cycle ON cases (cycle_id);

-- Every transition of every case, with its actor.
CREATE TABLE history (
  id         INTEGER PRIMARY KEY,
  case_id    INTEGER NOT NULL,
  at         TEXT NOT NULL,
  from_state TEXT,
  to_state   TEXT NOT NULL,
  action     TEXT NOT NULL,
  actor      TEXT NOT NULL,
  reason     TEXT
);
CREATE INDEX history_case ON history (case_id);

-- The outbox of work for workers. Leases live in the engine's memory: a
-- restarted engine re-offers every queued task.
CREATE TABLE tasks (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL,            -- scoring | targets | notify
  case_id    INTEGER,
  state      TEXT NOT NULL,            -- queued | done | dead
  attempts   INTEGER NOT NULL DEFAULT 0,
  payload    BLOB NOT NULL,            -- the cereal body sent to the worker
  created_at TEXT NOT NULL,
  done_at    TEXT,
  error      TEXT
);
CREATE INDEX tasks_open ON tasks (state) WHERE state = 'queued';

-- External events, append-only in arrival order. No index on event_id:
-- duplicates are found through an in-memory set of 128-bit fingerprints
-- (fp_hi, fp_lo), rebuilt from this table at start, so random ids never
-- cost random B-tree writes.
CREATE TABLE events (
  seq         INTEGER PRIMARY KEY,
  event_id    TEXT NOT NULL,
  fp_hi       INTEGER NOT NULL,
  fp_lo       INTEGER NOT NULL,
  type        TEXT NOT NULL,
  manager_id  TEXT NOT NULL,
  occurred_at INTEGER NOT NULL,        -- Unix seconds
  amount_fen  INTEGER,
  brand       TEXT,
  customer_id TEXT,
  refers_to   TEXT,
  converted   INTEGER,
  store_id    TEXT,
  period      TEXT,
  target_fen  INTEGER,
  received_at INTEGER NOT NULL
);

-- Aggregates scoring needs, per manager and calendar month (company zone).
CREATE TABLE sales_monthly (
  manager_id  TEXT NOT NULL,
  month       TEXT NOT NULL,           -- '2026-07'
  sales_fen   INTEGER NOT NULL DEFAULT 0,
  refunds_fen INTEGER NOT NULL DEFAULT 0,
  inquiries   INTEGER NOT NULL DEFAULT 0,
  converted   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (manager_id, month)
) WITHOUT ROWID;
