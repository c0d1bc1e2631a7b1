-- 012: learning activities a manager has completed (DOMAIN.md
-- "Qualification certification", the learning plan): one row per manager
-- and activity of schemas/learning/catalogue.json, with when, who recorded
-- it (the manager or their supervisor, as ROLE:ID) and through which
-- principal. A plan itself is not stored: it follows from the manager's
-- latest competency result and the catalogue.
CREATE TABLE learning_done (
  employee_id TEXT NOT NULL,
  activity_id TEXT NOT NULL,
  done_at     TEXT NOT NULL,
  done_by     TEXT NOT NULL,
  principal   TEXT NOT NULL,
  PRIMARY KEY (employee_id, activity_id)
) WITHOUT ROWID;
