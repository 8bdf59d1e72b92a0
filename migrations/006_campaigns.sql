-- Campaign eligibility in the decision log: `candidates` holds the eligible set the distribution was
-- computed over, and `ineligible` says why each other arm was left out (arm id → reason), so that an
-- analyst can tell a paused campaign from a spent budget or a pacing draw.
ALTER TABLE decisions ADD COLUMN IF NOT EXISTS ineligible jsonb NOT NULL DEFAULT '{}'::jsonb;

-- Arms added, paused, ended or re-budgeted through the admin API, applied on top of the surface files
-- by every replica. `added` holds the whole arm config of an arm the API added (NULL for a file arm);
-- the other columns are overrides, NULL when not overridden.
CREATE TABLE IF NOT EXISTS campaign_arms (
  surface text NOT NULL,
  arm text NOT NULL,
  added jsonb NULL,
  paused boolean NULL,
  end_at timestamptz NULL,
  budget jsonb NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT campaign_arms_pkey PRIMARY KEY (surface, arm)
);
