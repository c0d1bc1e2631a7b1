-- 011: the months in which each customer bought from each manager (DOMAIN.md
-- program 3, "Indicators"): a period's customers, those new to the manager
-- in it (no earlier month) and those who had bought before it (the
-- repeat-purchase rate). One row per manager, customer and month with a
-- sale, however many sales.
CREATE TABLE customer_months (
  manager_id  TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  month       TEXT NOT NULL,
  PRIMARY KEY (manager_id, customer_id, month)
) WITHOUT ROWID;

-- Sales stored before this version, in the months of +08:00 (the company
-- zone of the seed and the sample).
INSERT OR IGNORE INTO customer_months (manager_id, customer_id, month)
  SELECT manager_id, customer_id, strftime('%Y-%m', occurred_at + 28800, 'unixepoch')
  FROM events WHERE type = 'sale' AND customer_id IS NOT NULL ORDER BY seq;
