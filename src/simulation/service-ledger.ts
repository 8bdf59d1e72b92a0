import type { Database } from '../db/database.js';
import { modelKey } from '../model-state/model-key.js';
import type { ModelStateStore } from '../model-state/model-state-store.js';
import type { Surface } from '../surfaces/surface.js';

/** What the service's own records say about one policy arm of a surface. */
export interface PolicyArmLedger {
  policy: string;
  /** Rows in the decision log. */
  decisions: number;
  /** Rewards joined from `/reward`. */
  observed: number;
  /** Default rewards given when a window closed without one. */
  defaulted: number;
  /** Decisions still waiting for a reward. */
  pending: number;
  /** Decisions marked learned in the log. */
  learned: number;
  /** The model's version in the model store: the number of increments applied to it. */
  modelVersion: number;
}

export interface ServiceLedger {
  policyArms: PolicyArmLedger[];
  /** Of the decision ids asked about, how many the log holds. */
  found: number;
  /** Duplicate reward posts the service counted. */
  duplicates: number;
}

/** Reads the ledger of `surface` from the decision log and the model store. */
export async function readServiceLedger(
  database: Database,
  modelStore: ModelStateStore,
  surface: Surface,
  decisionIds: readonly string[],
): Promise<ServiceLedger> {
  const { rows } = await database.query<Omit<PolicyArmLedger, 'modelVersion'>>(
    `SELECT policy_arm AS policy, count(*) AS decisions,
            count(*) FILTER (WHERE reward_source = 'observed') AS observed,
            count(*) FILTER (WHERE reward_source = 'default') AS defaulted,
            count(*) FILTER (WHERE reward IS NULL) AS pending,
            count(*) FILTER (WHERE learned_at IS NOT NULL) AS learned
       FROM decisions WHERE surface = $1 GROUP BY policy_arm ORDER BY policy_arm`,
    [surface.config.id],
  );
  const found = await database.query<{ found: number }>('SELECT count(*) AS found FROM decisions WHERE id = ANY($1::uuid[])', [decisionIds]);
  const duplicates = await database.query<{ count: number }>(
    `SELECT count FROM reward_outcomes WHERE surface = $1 AND outcome = 'duplicate'`,
    [surface.config.id],
  );
  const policyArms = await Promise.all(
    rows.map(async (row) => ({ ...row, modelVersion: await modelStore.version(modelKey(surface, row.policy)) })),
  );
  return { policyArms, found: found.rows[0]?.found ?? 0, duplicates: duplicates.rows[0]?.count ?? 0 };
}

/** Whether every decision has its reward (observed or default) and has been learned. */
export function isSettled(ledger: ServiceLedger): boolean {
  return ledger.policyArms.every((row) => row.pending === 0 && row.learned === row.decisions);
}
