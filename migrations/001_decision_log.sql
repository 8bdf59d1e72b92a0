-- The decision log: one row per decision, with the full action distribution it was drawn from.
-- Partitioned by day on decided_at so that retention drops whole partitions instead of deleting rows.
-- Daily partitions are created ahead of time by the service (src/db/partitions.ts); the default
-- partition only exists so that an insert never fails when a day's partition is missing.
CREATE TABLE IF NOT EXISTS decisions (
  -- UUIDv7 whose millisecond timestamp equals decided_at, so a lookup by id alone can prune partitions.
  id uuid NOT NULL,
  decided_at timestamptz NOT NULL,
  surface text NOT NULL,
  policy_arm text NOT NULL,
  learner text NOT NULL,
  config_version text NOT NULL,
  -- Which learner statistics the decision used, and their version at decision time.
  model_key text NOT NULL,
  model_version bigint NOT NULL,
  unit text NULL,
  event_id text NULL,
  context jsonb NOT NULL,
  candidates text[] NOT NULL,
  -- Arm id → probability: the whole distribution, needed by off-policy estimators.
  probabilities jsonb NOT NULL,
  arm text NOT NULL,
  -- Probability of the chosen arm; zero would make inverse propensity weights infinite.
  propensity double precision NOT NULL,
  seed text NOT NULL,
  -- A deferred decision only counts (is learned from, gets a default reward) once activated.
  deferred boolean NOT NULL,
  activated_at timestamptz NULL,
  reward_by timestamptz NOT NULL,
  reward double precision NULL,
  reward_source text NULL,
  rewarded_at timestamptz NULL,
  learned_at timestamptz NULL,
  CONSTRAINT decisions_pkey PRIMARY KEY (id, decided_at),
  CONSTRAINT decisions_propensity_check CHECK (propensity > 0 AND propensity <= 1),
  CONSTRAINT decisions_reward_source_check CHECK (reward_source IN ('observed', 'default')),
  CONSTRAINT decisions_reward_complete_check CHECK (
    (reward IS NULL) = (reward_source IS NULL) AND (reward IS NULL) = (rewarded_at IS NULL)
  )
) PARTITION BY RANGE (decided_at);

CREATE TABLE IF NOT EXISTS decisions_default PARTITION OF decisions DEFAULT;

-- Reports and keyset pagination over one surface in time order.
CREATE INDEX IF NOT EXISTS decisions_surface_decided_at_idx ON decisions (surface, decided_at, id);

-- The default-reward sweep only ever looks at decisions still waiting for a reward.
CREATE INDEX IF NOT EXISTS decisions_reward_pending_idx ON decisions (reward_by) WHERE reward IS NULL;

-- Recovery after a crash between rewarding and learning.
CREATE INDEX IF NOT EXISTS decisions_unlearned_idx ON decisions (rewarded_at)
  WHERE reward IS NOT NULL AND learned_at IS NULL;
