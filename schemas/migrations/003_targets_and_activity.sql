-- 003: what the monthly sales-target check needs (DOMAIN.md program 3).

-- Net sales per manager, month and brand (company zone).
CREATE TABLE brand_monthly (
  manager_id  TEXT NOT NULL,
  month       TEXT NOT NULL,
  brand       TEXT NOT NULL,
  sales_fen   INTEGER NOT NULL DEFAULT 0,
  refunds_fen INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (manager_id, month, brand)
) WITHOUT ROWID;

-- Process indicators per manager and month.
CREATE TABLE activity_monthly (
  manager_id       TEXT NOT NULL,
  month            TEXT NOT NULL,
  outlets_opened   INTEGER NOT NULL DEFAULT 0,
  display_checked  INTEGER NOT NULL DEFAULT 0,
  banquets         INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (manager_id, month)
) WITHOUT ROWID;

-- The target in force per manager, month and brand: the target_set with
-- the latest occurred_at (ties: the later arrival). Every target_set is
-- kept in target_history.
CREATE TABLE targets (
  manager_id  TEXT NOT NULL,
  month       TEXT NOT NULL,
  brand       TEXT NOT NULL,
  target_fen  INTEGER NOT NULL,
  occurred_at INTEGER NOT NULL,
  event_id    TEXT NOT NULL,
  PRIMARY KEY (manager_id, month, brand)
) WITHOUT ROWID;

CREATE TABLE target_history (
  id          INTEGER PRIMARY KEY,
  manager_id  TEXT NOT NULL,
  month       TEXT NOT NULL,
  brand       TEXT NOT NULL,
  target_fen  INTEGER NOT NULL,
  occurred_at INTEGER NOT NULL,
  event_id    TEXT NOT NULL,
  replaced    INTEGER,          -- the target_fen it replaced, if any
  applied     INTEGER NOT NULL  -- 0 when an older target_set arrived late and did not replace
);
CREATE INDEX target_history_manager ON target_history (manager_id, month);

-- Refunds need their sale: a refund of an unknown sale, or of a sale that
-- was already refunded, is rejected. Sales and refunded sales are found
-- through in-memory fingerprint sets rebuilt from the events table.
