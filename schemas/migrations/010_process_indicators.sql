-- 010: the process indicators of a month in full (DOMAIN.md program 3,
-- DESIGN.md "External events"): the events' new optional fields, and per
-- manager and month the distinct stores with a passed display check (with
-- their township), the banquets by origin and product, new outlets by
-- area, inspection findings and complaints.
ALTER TABLE events ADD COLUMN area TEXT;
ALTER TABLE events ADD COLUMN store_type TEXT;
ALTER TABLE events ADD COLUMN passed INTEGER;
ALTER TABLE events ADD COLUMN township TEXT;
ALTER TABLE events ADD COLUMN origin TEXT;
ALTER TABLE events ADD COLUMN product TEXT;
ALTER TABLE events ADD COLUMN cases INTEGER;
ALTER TABLE events ADD COLUMN bottles INTEGER;
ALTER TABLE events ADD COLUMN tables INTEGER;
ALTER TABLE events ADD COLUMN finding TEXT;

-- outlets_opened stays the total; an outlet without an area is in neither
-- area column.
ALTER TABLE activity_monthly ADD COLUMN outlets_county INTEGER NOT NULL DEFAULT 0;
ALTER TABLE activity_monthly ADD COLUMN outlets_township INTEGER NOT NULL DEFAULT 0;
ALTER TABLE activity_monthly ADD COLUMN complaints INTEGER NOT NULL DEFAULT 0;
ALTER TABLE activity_monthly ADD COLUMN found_display_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE activity_monthly ADD COLUMN found_not_restocked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE activity_monthly ADD COLUMN found_labels_missing INTEGER NOT NULL DEFAULT 0;
ALTER TABLE activity_monthly ADD COLUMN found_policy_unknown INTEGER NOT NULL DEFAULT 0;

-- A store counts once a month however often it is checked; its township
-- is the first passed check's ('' when none named one).
CREATE TABLE display_stores_monthly (
  manager_id TEXT NOT NULL,
  month      TEXT NOT NULL,
  store_id   TEXT NOT NULL,
  township   TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (manager_id, month, store_id)
) WITHOUT ROWID;

-- origin and product '' for a banquet that named neither.
CREATE TABLE banquets_monthly (
  manager_id TEXT NOT NULL,
  month      TEXT NOT NULL,
  origin     TEXT NOT NULL,
  product    TEXT NOT NULL,
  events     INTEGER NOT NULL DEFAULT 0,
  cases      INTEGER NOT NULL DEFAULT 0,
  bottles    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (manager_id, month, origin, product)
) WITHOUT ROWID;

-- Before this version every display check passed and named no township;
-- their months are those of the company zone the sample and the seed use
-- (Asia/Shanghai, +08:00). Earlier banquets named no origin or product.
INSERT OR IGNORE INTO display_stores_monthly (manager_id, month, store_id, township)
  SELECT manager_id, strftime('%Y-%m', occurred_at + 28800, 'unixepoch'), store_id, ''
  FROM events WHERE type = 'display_store_checked' ORDER BY seq;
INSERT INTO banquets_monthly (manager_id, month, origin, product, events)
  SELECT manager_id, month, '', '', banquets FROM activity_monthly WHERE banquets > 0;
