-- Idempotency of decisions by client event id. A unique key on the partitioned decisions table would
-- have to include decided_at, which a retried request does not know, hence this separate table.
-- decided_at is copied so that retention can drop these rows with their partitions, and so that the
-- join back to decisions can prune partitions.
CREATE TABLE IF NOT EXISTS decision_events (
  surface text NOT NULL,
  event_id text NOT NULL,
  decision_id uuid NOT NULL,
  decided_at timestamptz NOT NULL,
  CONSTRAINT decision_events_pkey PRIMARY KEY (surface, event_id)
);

CREATE INDEX IF NOT EXISTS decision_events_decided_at_idx ON decision_events (decided_at);
