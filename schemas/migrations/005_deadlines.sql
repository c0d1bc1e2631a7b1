-- 005: deadlines (workflow "deadline"), durable across restarts.
-- One row per case whose current state has a deadline; replaced when the
-- case moves on, deleted when it reaches a state without one. Times are
-- Unix seconds; next_at is the earliest of what is still to fire.
CREATE TABLE case_timers (
  case_id     INTEGER PRIMARY KEY,
  state       TEXT NOT NULL,     -- the state the deadline belongs to
  entered_at  INTEGER NOT NULL,
  remind_at   INTEGER,           -- NULL: no reminder
  due_at      INTEGER NOT NULL,
  reminded    INTEGER NOT NULL DEFAULT 0,
  fired       INTEGER NOT NULL DEFAULT 0,  -- the deadline's outcome was applied
  next_at     INTEGER            -- NULL once nothing is left to fire
);
CREATE INDEX case_timers_next ON case_timers (next_at) WHERE next_at IS NOT NULL;
CREATE INDEX case_timers_due ON case_timers (due_at);

-- Flags the workflow set on a case ("self review missing"), a JSON array.
ALTER TABLE cases ADD COLUMN flags TEXT;
-- Set when an escalating deadline passed; cleared when the case moves on.
ALTER TABLE cases ADD COLUMN overdue_since TEXT;

-- The end of a cycle's run window (Unix seconds, the first instant after
-- its last day) and when HR was told what was still open then.
ALTER TABLE cycles ADD COLUMN due_at INTEGER;
ALTER TABLE cycles ADD COLUMN closed_check_at TEXT;
