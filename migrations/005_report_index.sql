-- The policy-arm report aggregates every learnable decision of a surface in a window: this covering
-- index lets it read only these narrow columns (an index-only scan) instead of the wide rows with
-- their contexts and probability vectors, about half the time on a million decisions.
CREATE INDEX IF NOT EXISTS decisions_report_idx ON decisions (surface, decided_at)
  INCLUDE (policy_arm, arm, reward, reward_source, deferred, activated_at);
