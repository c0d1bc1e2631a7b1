-- 013: how a person is reached (DESIGN.md "Notification channels"): an
-- e-mail address and a chat id (a WeCom user id or a DingTalk mobile or
-- user id, for mentions in the unit's group robot), both optional, from
-- the org CSV's `email` and `chat_id` columns. Robot webhooks and their
-- secrets are never stored here (the notify worker's --webhooks file).
ALTER TABLE employees ADD COLUMN email TEXT;
ALTER TABLE employees ADD COLUMN chat_id TEXT;

-- The database's own identity, made once: e-mail Message-IDs are
-- <HASH@INSTANCE.assessflow>, stable across redeliveries
-- and unique per database (two companies' engines never collide).
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('instance_id', lower(hex(randomblob(16))));
