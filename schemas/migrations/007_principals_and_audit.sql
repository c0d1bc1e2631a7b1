-- 007: identity and access (DESIGN.md "Identity and access").

-- Named key holders. A person acts only as its employee; a service has
-- capabilities (ingest, worker:scoring, worker:targets, worker:notify,
-- portal, observer, admin, gateway). Only public keys are kept: secrets
-- stay with their holders. Names are never reused, revoked ones included.
CREATE TABLE principals (
  name         TEXT PRIMARY KEY,
  kind         TEXT NOT NULL CHECK (kind IN ('person', 'service')),
  employee_id  TEXT,                    -- person: the employee it acts as
  capabilities TEXT NOT NULL DEFAULT '', -- service: ','-separated
  public_key   TEXT NOT NULL UNIQUE,    -- Z85, 40 characters: the key in use
  created_at   TEXT NOT NULL,
  created_by   TEXT NOT NULL,
  revoked_at   TEXT,
  CHECK ((kind = 'person') = (employee_id IS NOT NULL))
) WITHOUT ROWID;

-- Keys a principal held before `principals rotate`: never admitted again,
-- kept so a live connection still on an old key is named in the audit.
CREATE TABLE principal_keys_retired (
  public_key TEXT PRIMARY KEY,
  principal  TEXT NOT NULL,
  retired_at TEXT NOT NULL
) WITHOUT ROWID;

-- Every refused request (an unknown key never connects, so it has no row).
-- Written after the refused request's own savepoint is rolled back.
CREATE TABLE audit (
  id        INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,  -- Unix seconds
  principal TEXT NOT NULL,
  endpoint  TEXT NOT NULL,     -- ingest | admin | tasks | events
  command   TEXT NOT NULL,
  reason    TEXT NOT NULL
);
CREATE INDEX audit_at ON audit (at);

-- The principal behind each history line, beside the actor it named.
ALTER TABLE history ADD COLUMN principal TEXT;

-- The source of an event is the principal that published it; events
-- stored before sources existed belong to `feed`. Dedup is per source.
ALTER TABLE events ADD COLUMN source TEXT NOT NULL DEFAULT 'feed';
