-- A narrower decision row, so that the log's table, its WAL and the disk writes behind them shrink
-- (bench/results/decision-log.md): a row is written once per decision, on /choose's commit path.
--
-- 1. The logged distribution as one double per candidate, in the order of `candidates`, instead of a JSON
--    object that repeated every arm id next to its probability (20 arms: 784 bytes as jsonb, 184 as
--    double precision[]). A double keeps the exact value that was sampled from: JSON carried it as the
--    shortest decimal that reads back as the same double, and the cast below reads it back so.
--    A replica older than this migration writes the JSON object and can no longer log a decision: deploy
--    it with every replica upgraded at once.
--    Guarded by the column's type, so that running the file again changes nothing.
DO $$
BEGIN
  IF (SELECT format_type(atttypid, atttypmod) FROM pg_attribute
       WHERE attrelid = 'decisions'::regclass AND attname = 'probabilities' AND NOT attisdropped) = 'jsonb' THEN
    ALTER TABLE decisions ADD COLUMN probability_vector double precision[];
    UPDATE decisions d
       SET probability_vector = ARRAY(
             SELECT (d.probabilities ->> candidate.arm)::double precision
               FROM unnest(d.candidates) WITH ORDINALITY AS candidate(arm, position)
              ORDER BY candidate.position);
    ALTER TABLE decisions DROP COLUMN probabilities;
    ALTER TABLE decisions RENAME COLUMN probability_vector TO probabilities;
    ALTER TABLE decisions ALTER COLUMN probabilities SET NOT NULL;
    -- One probability per candidate, none missing (array_position finds a NULL element).
    ALTER TABLE decisions ADD CONSTRAINT decisions_probabilities_check
      CHECK (cardinality(probabilities) = cardinality(candidates) AND array_position(probabilities, NULL) IS NULL);
  END IF;
END $$;

-- 2. One index for a surface in time order instead of two: the report's covering index (005) with `id`
--    added to its key also serves the keyset pagination of `decisions_surface_decided_at_idx` (001), so
--    each insert updates one index fewer.
CREATE INDEX IF NOT EXISTS decisions_surface_time_idx ON decisions (surface, decided_at, id)
  INCLUDE (policy_arm, arm, reward, reward_source, deferred, activated_at);
DROP INDEX IF EXISTS decisions_report_idx;
DROP INDEX IF EXISTS decisions_surface_decided_at_idx;
