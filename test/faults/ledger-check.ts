import { PgDatabase } from '../../src/db/pg-database.js';
import { PostgresDecisionStore } from '../../src/decisions/postgres-decision-store.js';
import { ModelCache } from '../../src/model-state/model-cache.js';
import { maxRelativeDifference, rebuildModel } from '../../src/model-state/rebuild-model.js';
import { RedisModelStateStore } from '../../src/model-state/redis-model-state-store.js';
import { loadSurfaces } from '../../src/surfaces/load-surfaces.js';
import { SHIPPED_POLICIES_DIR } from '../helpers/test-service.js';
import type { LoadClient } from './load-client.js';

export interface LedgerCheck {
  acknowledgedDecisions: number;
  foundDecisions: number;
  acknowledgedRewards: number;
  recordedRewards: number;
  /** Acknowledged decisions missing from the log plus acknowledged rewards not recorded as sent. */
  lost: number;
}

/** Looks up every decision and reward the client was told about in the decision log. */
export async function checkLedger(databaseUrl: string, load: LoadClient): Promise<LedgerCheck> {
  const db = new PgDatabase({ connectionString: databaseUrl, onIdleError: () => {} });
  try {
    const ids = [...load.choices.keys()];
    const rows = new Map<string, { reward: number | null; reward_source: string | null }>();
    for (let start = 0; start < ids.length; start += 2_000) {
      const { rows: found } = await db.query<{ id: string; reward: number | null; reward_source: string | null }>(
        'SELECT id, reward, reward_source FROM decisions WHERE id = ANY($1::uuid[])',
        [ids.slice(start, start + 2_000)],
      );
      for (const row of found) rows.set(row.id, row);
    }
    let recordedRewards = 0;
    for (const [id, reward] of load.rewards) {
      const row = rows.get(id);
      if (row?.reward_source === 'observed' && row.reward === reward) recordedRewards += 1;
    }
    const foundDecisions = ids.filter((id) => rows.has(id)).length;
    return {
      acknowledgedDecisions: ids.length,
      foundDecisions,
      acknowledgedRewards: load.rewards.size,
      recordedRewards,
      lost: ids.length - foundDecisions + (load.rewards.size - recordedRewards),
    };
  } finally {
    await db.close();
  }
}

/** Waits until every rewarded, learnable decision of the log is marked learned (the sweepers caught up). */
export async function waitUntilLearned(databaseUrl: string, timeoutMs: number): Promise<number> {
  const db = new PgDatabase({ connectionString: databaseUrl, onIdleError: () => {} });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const { rows } = await db.query<{ unlearned: number }>(
        `SELECT count(*) AS unlearned FROM decisions
          WHERE reward IS NOT NULL AND learned_at IS NULL AND (NOT deferred OR activated_at IS NOT NULL)`,
      );
      const unlearned = rows[0]?.unlearned ?? 0;
      if (unlearned === 0 || Date.now() > deadline) return unlearned;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await db.close();
  }
}

export interface ModelAgreement {
  model: string;
  /** Decisions folded from the log, and the version Redis holds. */
  decisions: number;
  version: number;
  maxRelativeDifference: number;
}

/** Every model in Redis against the fold over the log (`rebuildModel`). */
export async function compareModelsWithLog(databaseUrl: string, redisUrl: string, prefix: string): Promise<ModelAgreement[]> {
  const db = new PgDatabase({ connectionString: databaseUrl, onIdleError: () => {} });
  const modelStore = new RedisModelStateStore(redisUrl, prefix);
  try {
    const store = new PostgresDecisionStore(db);
    const models = new ModelCache(modelStore, (await loadSurfaces(SHIPPED_POLICIES_DIR)).list());
    const agreements: ModelAgreement[] = [];
    for (const model of models.all()) {
      const rebuilt = await rebuildModel(model, store);
      const live = await modelStore.read(model.key, model.policy.learner.statisticsLength);
      agreements.push({
        model: model.key,
        decisions: rebuilt.decisions,
        version: live.version,
        maxRelativeDifference: maxRelativeDifference(rebuilt.arms, live.arms),
      });
    }
    return agreements;
  } finally {
    await modelStore.close();
    await db.close();
  }
}
