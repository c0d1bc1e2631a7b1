-- 009: grades over time (issue 13, DOMAIN.md "Inventory"). A case keeps
-- the grade its employee held when it opened (NULL: opened before this
-- version, so unknown). Every grade an org import gives an employee is
-- kept with when and by whom: a new employee's first grade (from_grade
-- NULL) and each change. Employees imported before this version get one
-- row of their grade now, by 'migration 009': what happened before is
-- unknown, and the inventory says so.
ALTER TABLE cases ADD COLUMN grade INTEGER;

CREATE TABLE grade_changes (
  id          INTEGER PRIMARY KEY,
  employee_id TEXT NOT NULL,
  from_grade  INTEGER,          -- NULL: the first grade known
  to_grade    INTEGER NOT NULL,
  at          TEXT NOT NULL,    -- ISO 8601 with the company's offset (or Z)
  by          TEXT NOT NULL
);
CREATE INDEX grade_changes_employee ON grade_changes (employee_id, id);

INSERT INTO grade_changes (employee_id, from_grade, to_grade, at, by)
  SELECT id, NULL, grade, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'migration 009'
  FROM employees ORDER BY id;
