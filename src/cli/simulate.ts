import { parseArgs } from 'node:util';
import type { components } from '../api/openapi-types.js';
import type { ChooseResponse } from '../api/api-types.js';
import { SyntheticListeners } from '../simulation/synthetic-listeners.js';
import { loadConfig } from '../config.js';
import { UsageError } from './command-line.js';

const HELP = `Usage: npm run simulate -- --key KEY [--url URL] [--surface ID] [--requests N]
                            [--concurrency C] [--reward-rate R] [--listeners L] [--seed S]

Drives synthetic listeners against a running Limelight: each asks /choose with a context drawn from
the surface's feature schema, "clicks" with a hidden per-arm logistic probability, and reports the
reward a moment later (or never, so the surface default applies). Prints the reward rate of each
policy arm as it learns.

  --key KEY          an API key with the decide and read scopes (the development key that
                     npm start prints; default: ADMIN_API_KEY)
  --url URL          the service (default http://127.0.0.1:8080)
  --surface ID       the surface to drive (default home)
  --requests N       decisions to make (default 5000)
  --concurrency C    requests in flight at once (default 8)
  --reward-rate R    fraction of decisions whose reward is reported (default 0.9)
  --listeners L      distinct listener ids, for sticky policy-arm assignment (default 1000)
  --seed S           seed of the synthetic world (default demo)
  --help             this text`;

type SurfaceDetail = components['schemas']['SurfaceDetail'];

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      key: { type: 'string' },
      url: { type: 'string', default: 'http://127.0.0.1:8080' },
      surface: { type: 'string', default: 'home' },
      requests: { type: 'string', default: '5000' },
      concurrency: { type: 'string', default: '8' },
      'reward-rate': { type: 'string', default: '0.9' },
      listeners: { type: 'string', default: '1000' },
      seed: { type: 'string', default: 'demo' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const requests = positiveInteger('--requests', values.requests);
  const concurrency = positiveInteger('--concurrency', values.concurrency);
  const listeners = positiveInteger('--listeners', values.listeners);
  const rewardRate = Number(values['reward-rate']);
  if (!(rewardRate >= 0 && rewardRate <= 1)) throw new UsageError(`--reward-rate must be in [0, 1], got "${values['reward-rate']}"`);

  const key = values.key ?? loadConfig().adminApiKey;
  if (!key) throw new UsageError('--key KEY is required (the development key printed by npm start, or ADMIN_API_KEY)');
  const call = caller(key);
  const detail = await call<SurfaceDetail>(`${values.url}/surfaces/${values.surface}`);
  const world = new SyntheticListeners(detail.config, values.seed);
  const tally = new Map<string, { decisions: number; reward: number; best: number }>();
  let issued = 0;
  const worker = async () => {
    while (issued < requests) {
      const index = issued++;
      const context = world.context();
      const unit = `listener-${Math.floor(world.uniform() * listeners)}`;
      const decision = await call<ChooseResponse>(`${values.url}/choose`, { surface: values.surface, unit, context });
      const reward = world.respond(context, decision.arm);
      const row = tally.get(decision.policy) ?? { decisions: 0, reward: 0, best: 0 };
      row.decisions += 1;
      row.reward += reward;
      row.best += world.bestProbability(context, Object.keys(decision.probabilities));
      tally.set(decision.policy, row);
      if (world.uniform() < rewardRate) await call(`${values.url}/reward`, { decisionId: decision.decisionId, reward });
      if ((index + 1) % Math.max(1, Math.floor(requests / 10)) === 0) report(index + 1, tally);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return 0;
}

function report(done: number, tally: ReadonlyMap<string, { decisions: number; reward: number; best: number }>): void {
  const rows = [...tally].map(([policy, row]) => ({
    policy,
    decisions: row.decisions,
    rewardRate: Number((row.reward / row.decisions).toFixed(4)),
    oracleRate: Number((row.best / row.decisions).toFixed(4)),
  }));
  process.stdout.write(`after ${done} decisions\n`);
  console.table(rows);
}

/** GET (no body) or POST JSON with the API key; throws on any answer but 2xx. */
function caller(key: string) {
  const authorization = `Bearer ${key}`;
  return async <T>(url: string, body?: unknown): Promise<T> => {
    const response = await fetch(
      url,
      body === undefined
        ? { headers: { authorization } }
        : { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );
    const payload = (await response.json()) as T;
    if (!response.ok) throw new Error(`${url} answered ${response.status}: ${JSON.stringify(payload)}`);
    return payload;
  };
}

function positiveInteger(flag: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag} must be a positive integer, got "${raw}"`);
  return value;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`simulate: ${error.message}\n\n${HELP}\n`);
  process.exitCode = 2;
}
