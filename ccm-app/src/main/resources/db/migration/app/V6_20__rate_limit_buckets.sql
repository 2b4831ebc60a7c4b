-- Rate-limit buckets shared by every replica (Bucket4j's PostgreSQL proxy manager): one row per
-- caller and limit, so N replicas together allow a caller the limit once, not N times.
CREATE TABLE rate_limit_bucket
(
  id         TEXT PRIMARY KEY,
  state      BYTEA,
  expires_at BIGINT
);
CREATE INDEX rate_limit_bucket_expires_idx ON rate_limit_bucket (expires_at);
