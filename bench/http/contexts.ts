import { seededRandom } from '../../src/stats/random.js';

const DEVICES = ['ios', 'android', 'web', 'desktop', 'tv'];
const TIERS = ['tier1', 'tier2', 'tier3'];

/**
 * `count` distinct `/choose` bodies for a surface shaped like `home-wide` (the benchmark's), from a fixed seed: every
 * feature varies, and one unit in 500 repeats, so both policy arms get traffic under sticky assignment.
 */
export function chooseBodies(count: number, seed = 'bench-http', surface = 'home-wide'): string[] {
  const random = seededRandom(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      surface,
      unit: `listener-${i % 500}`,
      context: {
        hour_of_day: Math.floor(random() * 24),
        device: pick(DEVICES),
        premium: random() < 0.3,
        listening_minutes_7d: Math.round(random() * 1500),
        country_tier: pick(TIERS),
        account_age_days: Math.round(random() * 2500),
        skip_rate_7d: Math.round(random() * 100) / 100,
        new_listener: random() < 0.1,
        sessions_7d: Math.floor(random() * 40),
      },
    }),
  );
}
