-- API keys. Only the SHA-256 of a key is stored: the key itself is shown once, when created.
-- A revoked key keeps its row (revoked_at set) so that the list still says who had access and when.
CREATE TABLE IF NOT EXISTS api_keys (
  id uuid NOT NULL,
  name text NOT NULL,
  -- Hex SHA-256 of the whole key; the lookup is by this value.
  key_hash text NOT NULL,
  scopes text[] NOT NULL,
  -- NULL: every surface; otherwise the surfaces the key may decide on and read.
  surfaces text[] NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz NULL,
  CONSTRAINT api_keys_pkey PRIMARY KEY (id),
  CONSTRAINT api_keys_key_hash_key UNIQUE (key_hash),
  CONSTRAINT api_keys_scopes_check CHECK (
    cardinality(scopes) > 0 AND scopes <@ ARRAY['decide', 'read', 'admin']::text[]
  ),
  CONSTRAINT api_keys_surfaces_check CHECK (surfaces IS NULL OR cardinality(surfaces) > 0)
);
