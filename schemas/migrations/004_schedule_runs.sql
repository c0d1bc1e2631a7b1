-- 004: every cycle the scheduler opened, so that a restart never opens one
-- twice and a cycle opened after its window is reported as late.
CREATE TABLE schedule_runs (
  program      TEXT NOT NULL,
  period       TEXT NOT NULL,
  window_start TEXT NOT NULL,
  window_end   TEXT NOT NULL,
  opened_at    TEXT NOT NULL,
  cycle_id     INTEGER,
  opened       INTEGER NOT NULL,  -- cases opened
  late         INTEGER NOT NULL,  -- 1 when opened after window_end (the engine was down)
  PRIMARY KEY (program, period)
) WITHOUT ROWID;
