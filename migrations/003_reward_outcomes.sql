-- Counts of reward attempts that did not record a reward: late (window closed), duplicate (already
-- rewarded) and unknown_id (no such decision; surface '' since an unknown id has no surface).
CREATE TABLE IF NOT EXISTS reward_outcomes (
  surface text NOT NULL,
  outcome text NOT NULL,
  count bigint NOT NULL,
  CONSTRAINT reward_outcomes_pkey PRIMARY KEY (surface, outcome),
  CONSTRAINT reward_outcomes_outcome_check CHECK (outcome IN ('late', 'duplicate', 'unknown_id'))
);
