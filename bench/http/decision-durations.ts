/** Cumulative counts of the service's `/choose` duration histogram, by upper bound (s), over every label. */
export type DurationBuckets = Map<string, number>;

const BUCKET = /^limelight_decision_duration_seconds_bucket\{le="([^"]+)"[^}]*\} (\d+)$/;

/** Reads `limelight_decision_duration_seconds` from the service's `/metrics`, summed over surfaces and policies. */
export async function decisionDurations(url: string, headers: Record<string, string>): Promise<DurationBuckets> {
  const text = await (await fetch(`${url}/metrics`, { headers })).text();
  const buckets: DurationBuckets = new Map();
  for (const line of text.split('\n')) {
    const match = BUCKET.exec(line);
    if (match) buckets.set(match[1]!, (buckets.get(match[1]!) ?? 0) + Number(match[2]));
  }
  return buckets;
}

/**
 * The share of the decisions between two reads that the service answered within each bound: its own
 * time from the handler's start to the answer (the log commit included), without the load generator's
 * and the network's.
 */
export function sharesWithin(before: DurationBuckets, after: DurationBuckets, bounds: readonly string[]): Array<[string, number]> {
  const total = (after.get('+Inf') ?? 0) - (before.get('+Inf') ?? 0);
  return bounds.map((bound) => [bound, total > 0 ? ((after.get(bound) ?? 0) - (before.get(bound) ?? 0)) / total : Number.NaN]);
}
