-- The policy-arm report's daily rollup: the aggregates of `decisions` per surface, policy arm, arm and
-- UTC day, for the days no decision of which can still change (src/reports/report-rollup.ts). The
-- report reads these rows for whole days before the surface's watermark and scans only the rest.
CREATE TABLE IF NOT EXISTS report_daily (
  surface text NOT NULL,
  policy_arm text NOT NULL,
  arm text NOT NULL,
  -- Start of the UTC day.
  day timestamptz NOT NULL,
  decisions bigint NOT NULL,
  observed bigint NOT NULL,
  rewarded bigint NOT NULL,
  reward_sum double precision NULL,
  reward_sum_of_squares double precision NULL,
  first_decision_at timestamptz NOT NULL,
  last_decision_at timestamptz NOT NULL,
  CONSTRAINT report_daily_pkey PRIMARY KEY (surface, policy_arm, arm, day)
);

-- Per surface, the start of the first UTC day not rolled up: every day before it is in report_daily
-- (a day without learnable decisions has no rows there). NULL until a day has been rolled up.
CREATE TABLE IF NOT EXISTS report_rollup (
  surface text NOT NULL,
  rolled_up_before timestamptz NULL,
  CONSTRAINT report_rollup_pkey PRIMARY KEY (surface)
);
