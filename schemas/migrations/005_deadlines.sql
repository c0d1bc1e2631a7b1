-- 005: deadlines (a workflow state's "deadline"), durable across restarts,
-- and the body version of tasks.
-- The deadline of the state a case is in lives on the case row, so arming
-- it costs nothing beyond the state change that row gets anyway. Times
-- are Unix seconds.
ALTER TABLE cases ADD COLUMN remind_at INTEGER;       -- when the owners are reminded (NULL: never)
ALTER TABLE cases ADD COLUMN due_at INTEGER;          -- NULL: the state has no deadline
ALTER TABLE cases ADD COLUMN deadline_stage INTEGER NOT NULL DEFAULT 0;  -- 0 armed, 1 reminded, 2 passed
ALTER TABLE cases ADD COLUMN next_timer_at INTEGER;   -- the earliest of those still to fire
CREATE INDEX cases_next_timer ON cases (next_timer_at) WHERE next_timer_at IS NOT NULL;

-- Flags the workflow set on a case ("self review missing"), a JSON array.
ALTER TABLE cases ADD COLUMN flags TEXT;
-- Set when an escalating deadline passed; cleared when the case moves on.
ALTER TABLE cases ADD COLUMN overdue_since TEXT;

-- The end of a cycle's run window (Unix seconds, the first instant after
-- its last day) and when what was still open then was reported to HR.
ALTER TABLE cycles ADD COLUMN due_at INTEGER;
ALTER TABLE cycles ADD COLUMN closed_check_at TEXT;

-- The layout version of each task's body (messages/wire_format.md): tasks
-- queued before an upgrade keep the version they were written in.
ALTER TABLE tasks ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
