import type { ChooseResponse } from '../../src/api/api-types.js';
import { seededRandom } from '../../src/stats/random.js';

const DEVICES = ['ios', 'android', 'web', 'desktop', 'tv'];
const INTENTS = ['artist', 'track', 'podcast', 'audiobook', 'genre', 'mood', 'unknown'];

export interface LoadOptions {
  /** Base URLs of the replicas; `loopsPerTarget` sequential request loops run against each. */
  targets: string[];
  loopsPerTarget: number;
  apiKey: string;
  /** Bounds of the whole load: it stops at whichever comes first, or at `stop()`. */
  maxRequests: number;
  maxMs: number;
  seed: string;
}

/** One `/choose` answered 200, as the client saw it. */
export interface Acknowledged {
  replica: string;
  phase: string;
  surface: string;
  policy: string;
  modelVersion: number;
}

/**
 * A bounded loopback client: a few concurrent loops, each sending `/choose` and, for 60 % of the
 * decisions, `/reward`. It keeps the ledger the fault tests check against Postgres: every decision and
 * every reward that was acknowledged with a 200, and the count of each outcome per phase of the test.
 */
export class LoadClient {
  /** Decision id → what the client was told. */
  readonly choices = new Map<string, Acknowledged>();
  /** Decision id → the reward acknowledged for it. */
  readonly rewards = new Map<string, number>();
  /** `phase` → `"choose 200"`, `"reward 503 database_unavailable"`, `"choose network"`, … → count. */
  readonly outcomes = new Map<string, Map<string, number>>();
  /** `phase` → the slowest `/reward` answer (ms). */
  readonly slowestReward = new Map<string, number>();
  requests = 0;
  phase = 'steady';
  private stopped = false;
  private readonly retired = new Set<string>();
  private readonly loops: Promise<void>[];
  private readonly started = performance.now();

  constructor(private readonly options: LoadOptions) {
    this.loops = options.targets.flatMap((target) =>
      Array.from({ length: options.loopsPerTarget }, (_, loop) => this.loop(target, seededRandom(`${options.seed}:${target}:${loop}`))),
    );
  }

  /** Stops sending to `target` (a replica the test stopped). */
  retire(target: string): void {
    this.retired.add(target);
  }

  /** Stops every loop and resolves once the requests in flight have settled. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }

  count(phase: string, outcome: string): number {
    return this.outcomes.get(phase)?.get(outcome) ?? 0;
  }

  private running(target: string): boolean {
    return (
      !this.stopped &&
      !this.retired.has(target) &&
      this.requests < this.options.maxRequests &&
      performance.now() - this.started < this.options.maxMs
    );
  }

  private async loop(target: string, random: () => number): Promise<void> {
    let i = 0;
    while (this.running(target)) {
      i += 1;
      const search = random() < 0.4;
      const body = search
        ? { surface: 'search', unit: `listener-${Math.floor(random() * 500)}`, context: { query_intent: INTENTS[i % 7]!, query_length: 1 + (i % 30), hour_of_day: i % 24, device: DEVICES[i % 5]! } }
        : { surface: 'home', unit: `listener-${Math.floor(random() * 500)}`, context: { hour_of_day: i % 24, device: DEVICES[i % 5]!, premium: random() < 0.3 } };
      const phase = this.phase;
      const choice = await this.post(target, '/choose', body, phase);
      if (choice.status !== 200) {
        // A stopped or failing replica answers at once; do not spin on it.
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      const decision = choice.body as ChooseResponse;
      this.choices.set(decision.decisionId, {
        replica: target,
        phase,
        surface: body.surface,
        policy: decision.policy,
        modelVersion: decision.modelVersion,
      });
      if (random() >= 0.6 || !this.running(target)) continue;
      const reward = search ? Math.round(random() * 1000) / 1000 : random() < 0.3 ? 1 : 0;
      const started = performance.now();
      const answer = await this.post(target, '/reward', { decisionId: decision.decisionId, reward }, this.phase);
      const ms = performance.now() - started;
      this.slowestReward.set(this.phase, Math.max(this.slowestReward.get(this.phase) ?? 0, ms));
      if (answer.status === 200) this.rewards.set(decision.decisionId, reward);
    }
  }

  private async post(target: string, path: string, body: unknown, phase: string): Promise<{ status: number; body: unknown }> {
    this.requests += 1;
    const route = path.slice(1);
    try {
      const res = await fetch(`${target}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.apiKey}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5_000),
      });
      const parsed = (await res.json()) as { error?: { code?: string } };
      this.tally(phase, res.status === 200 ? `${route} 200` : `${route} ${res.status} ${parsed.error?.code ?? ''}`.trim());
      return { status: res.status, body: parsed };
    } catch {
      // Refused, reset or timed out: nothing was acknowledged.
      this.tally(phase, `${route} network`);
      return { status: 0, body: undefined };
    }
  }

  private tally(phase: string, outcome: string): void {
    let counts = this.outcomes.get(phase);
    if (!counts) {
      counts = new Map();
      this.outcomes.set(phase, counts);
    }
    counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  }
}
