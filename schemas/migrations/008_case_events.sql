-- 008: durable case events (issue 11). Each case event the engine
-- publishes is kept beside the history row it came from (its id is the
-- event's seq), so a subscriber that was slow or away asks for what it
-- missed with `case_events.since`. Events of a cycle (cycle.unfinished)
-- have a history row of their own with case_id 0. Past the retention
-- (--event-retention-days) the event text is cleared, the history kept.
ALTER TABLE history ADD COLUMN event TEXT;

-- History ids up to here hold no event any more (or never did: rows from
-- before this migration).
CREATE TABLE event_retention (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  purged_through INTEGER NOT NULL
);
INSERT INTO event_retention SELECT 1, coalesce(max(id), 0) FROM history;
