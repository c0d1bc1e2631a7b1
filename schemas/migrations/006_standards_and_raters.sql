-- 006: the competency model's standard table as adjusted, and the several
-- raters of a key account review (DOMAIN.md programs 2 and 4).

-- Required level by item and grade where it differs from the rubric's
-- required_level_by_grade (an absent row: the rubric's level).
CREATE TABLE standard_levels (
  program TEXT NOT NULL,
  item    TEXT NOT NULL,
  grade   INTEGER NOT NULL,
  level   INTEGER NOT NULL,
  PRIMARY KEY (program, item, grade)
) WITHOUT ROWID;

-- Every adjustment of the table, one row per item and grade: who proposed
-- which level, the mean, the level before and after. At most one
-- adjustment per program and business year.
CREATE TABLE standard_adjustments (
  id            INTEGER PRIMARY KEY,
  program       TEXT NOT NULL,
  business_year INTEGER NOT NULL,
  item          TEXT NOT NULL,
  grade         INTEGER NOT NULL,
  proposals     TEXT NOT NULL,     -- JSON [{"by": id, "level": n}]
  mean          INTEGER NOT NULL,  -- hundredths
  before_level  INTEGER NOT NULL,
  after_level   INTEGER NOT NULL,
  adjusted_by   TEXT NOT NULL,
  at            TEXT NOT NULL
);
CREATE INDEX standard_adjustments_year ON standard_adjustments (program, business_year);

-- Raters a case has besides its supervisor: "peer:E1007", "customer:K-17".
CREATE TABLE case_raters (
  case_id  INTEGER NOT NULL,
  rater    TEXT NOT NULL,
  name     TEXT NOT NULL,
  added_by TEXT NOT NULL,
  added_at TEXT NOT NULL,
  PRIMARY KEY (case_id, rater)
) WITHOUT ROWID;

-- Each rater's ratings of a case; a rater who rates again replaces theirs.
CREATE TABLE case_ratings (
  case_id INTEGER NOT NULL,
  rater   TEXT NOT NULL,   -- "supervisor:S2001", "peer:E1007", "customer:K-17"
  ratings TEXT NOT NULL,   -- JSON {item: rating}
  comment TEXT,
  at      TEXT NOT NULL,
  PRIMARY KEY (case_id, rater)
) WITHOUT ROWID;
