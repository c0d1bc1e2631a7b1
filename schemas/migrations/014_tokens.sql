-- Bearer tokens (DESIGN.md "HTTP gateway and metrics"): a principal may
-- hold one token besides its key. Only the token's SHA-256 (64 lowercase
-- hex digits) is kept; the token itself is printed once by
-- `assessctl principals add|rotate NAME --token` and never reaches the
-- engine except inside a request the gateway forwards.
ALTER TABLE principals ADD COLUMN token_hash TEXT;
CREATE UNIQUE INDEX principals_token_hash ON principals (token_hash)
  WHERE token_hash IS NOT NULL;
