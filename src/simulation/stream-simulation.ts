import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateApiKey } from '../auth/api-key.js';
import { PgDatabase } from '../db/pg-database.js';
import { RedisModelStateStore } from '../model-state/redis-model-state-store.js';
import type { BanditStream } from '../replay/bandit-stream.js';
import { startReplica, type ReplicaProcess } from '../replicas/replica-process.js';
import { buildSurface } from '../surfaces/surface.js';
import { inProcessRewards } from './in-process-baseline.js';
import { comparePolicyArm, type PolicyArmComparison } from './policy-arm-comparison.js';
import type { RewardScheduleOptions } from './reward-schedule.js';
import { createScratchBackends } from './scratch-backends.js';
import { serviceClient } from './service-client.js';
import { isSettled, readServiceLedger, type ServiceLedger } from './service-ledger.js';
import { drivePopulation, type PopulationTally } from './stream-population.js';
import { streamSurface } from './stream-surface.js';

export interface StreamSimulationOptions {
  stream: BanditStream;
  /** Visits: the first `rounds` rows of the stream. */
  rounds: number;
  concurrency: number;
  schedule: RewardScheduleOptions;
  attributionWindowSeconds: number;
  /** The replicas' MODEL_STALENESS_MS and SWEEP_INTERVAL_MS. */
  modelStalenessMs: number;
  sweepIntervalMs: number;
  /** The population's seed: its reward plans and replica routing. */
  seed: string;
  /** The Postgres and Redis servers; the run creates a database and a key prefix of its own there. */
  serverUrl: string;
  redisUrl: string;
  log?: (message: string) => void;
}

export interface PolicyArmRun {
  comparison: PolicyArmComparison;
  /** rₜ[aₜ] of the policy arm's decisions, in round order, in the service and in process. */
  serviceRewards: Float64Array;
  inProcessRewards: Float64Array;
}

export interface StreamSimulationResult {
  tally: PopulationTally;
  ledger: ServiceLedger;
  policyArms: PolicyArmRun[];
  /** Wall time of the visits, and of waiting for the last windows to close and be learned. */
  drivingSeconds: number;
  settlingSeconds: number;
}

const SETTLE_POLL_MS = 250;
/** Beyond the window and a few sweeps, what the last defaults may take on a busy machine. */
const SETTLE_SLACK_MS = 60_000;

/**
 * The end-to-end learning simulation of one stream: two replicas (child processes) on a database and
 * Redis key prefix of their own, serving the stream's surface; a simulated population visiting them; a
 * wait until every window has closed and every decision is learned; the service's ledger; then, per
 * policy arm, the same learner in process on the same rows. The database, keys and surface directory
 * are removed whatever happens.
 * @throws Error when a replica fails to start, the service refuses a request, or the decisions do not
 * settle within the window plus a minute.
 */
export async function runStreamSimulation(options: StreamSimulationOptions): Promise<StreamSimulationResult> {
  const log = options.log ?? (() => {});
  const surface = streamSurface(options.stream, options.attributionWindowSeconds);
  const built = buildSurface(surface.config, 'stream surface');
  const scratch = await createScratchBackends(options.serverUrl, options.redisUrl, `limelight_simulate_${process.pid}`);
  const policiesDir = await mkdtemp(join(tmpdir(), 'limelight-simulate-'));
  const replicas: ReplicaProcess[] = [];
  const database = new PgDatabase({ connectionString: scratch.databaseUrl });
  const modelStore = new RedisModelStateStore(options.redisUrl, scratch.redisKeyPrefix);
  try {
    await writeFile(join(policiesDir, `${surface.config.id}.json`), JSON.stringify(surface.config, null, 2));
    const replicaEnv = { databaseUrl: scratch.databaseUrl, redisUrl: options.redisUrl, redisKeyPrefix: scratch.redisKeyPrefix, adminApiKey: generateApiKey() };
    const env = { POLICIES_DIR: policiesDir, MODEL_STALENESS_MS: String(options.modelStalenessMs), SWEEP_INTERVAL_MS: String(options.sweepIntervalMs) };
    // One after the other: the first migrates the database, under the migration lock the second waits on anyway.
    for (const name of ['replica-a', 'replica-b']) replicas.push(await startReplica(name, replicaEnv, { env }));
    log(`two replicas up (${replicas.map((replica) => replica.url).join(', ')}); ${options.rounds} visits`);

    const started = performance.now();
    const tally = await drivePopulation({
      replicas: replicas.map((replica) => replica.url),
      client: serviceClient(replicaEnv.adminApiKey),
      stream: options.stream,
      surface,
      rounds: options.rounds,
      concurrency: options.concurrency,
      schedule: options.schedule,
      seed: options.seed,
      onProgress: (done) => {
        if (done % Math.max(1, Math.floor(options.rounds / 10)) === 0) log(`${done} / ${options.rounds} visits`);
      },
    });
    const drivingSeconds = (performance.now() - started) / 1000;
    const ids = tally.decisions.map((decision) => decision.decisionId);
    const deadline = Date.now() + options.attributionWindowSeconds * 1000 + SETTLE_SLACK_MS;
    let ledger = await readServiceLedger(database, modelStore, built, ids);
    while (!isSettled(ledger)) {
      if (Date.now() > deadline) throw new Error(`decisions did not settle: ${JSON.stringify(ledger.policyArms)}`);
      await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
      ledger = await readServiceLedger(database, modelStore, built, ids);
    }
    const settlingSeconds = (performance.now() - started) / 1000 - drivingSeconds;
    log(`settled after ${settlingSeconds.toFixed(1)} s; running the in-process baselines`);

    const policyArms = surface.config.policyArms.map((policyArm) => {
      const served = tally.decisions.filter((decision) => decision.policy === policyArm.id);
      const serviceRewards = Float64Array.from(served, (decision) => decision.reward);
      const baseline = inProcessRewards(options.stream, surface, policyArm, served.map((decision) => decision.round), `${options.seed}:${policyArm.id}`);
      return { comparison: comparePolicyArm(policyArm.id, serviceRewards, baseline), serviceRewards, inProcessRewards: baseline };
    });
    return { tally, ledger, policyArms, drivingSeconds, settlingSeconds };
  } finally {
    await Promise.all(replicas.map((replica) => replica.stop('SIGTERM')));
    await database.close();
    await modelStore.close();
    await scratch.remove();
    await rm(policiesDir, { recursive: true, force: true });
  }
}
