/** One histogram from the service's `/metrics`, summed over its labels: cumulative counts by upper bound (s). */
export interface HistogramReading {
  buckets: Map<string, number>;
  count: number;
  sum: number;
}

/**
 * Reads the named histograms from the service's `/metrics` (Prometheus text), each summed over its
 * labels: `limelight_decision_duration_seconds` over surfaces and policies, `nodejs_gc_duration_seconds`
 * over the kinds of collection.
 */
export async function readHistograms(url: string, headers: Record<string, string>, names: readonly string[]): Promise<Map<string, HistogramReading>> {
  return parseHistograms(await (await fetch(`${url}/metrics`, { headers })).text(), names);
}

/** The named histograms of a Prometheus text exposition, each summed over its labels. */
export function parseHistograms(text: string, names: readonly string[]): Map<string, HistogramReading> {
  const readings = new Map(names.map((name) => [name, { buckets: new Map<string, number>(), count: 0, sum: 0 }]));
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)_(bucket|count|sum)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    const reading = match && readings.get(match[1]!);
    if (!match || !reading) continue;
    const value = Number(match[4]);
    if (match[2] === 'count') reading.count += value;
    else if (match[2] === 'sum') reading.sum += value;
    else {
      const bound = /le="([^"]+)"/.exec(match[3] ?? '')?.[1];
      if (bound !== undefined) reading.buckets.set(bound, (reading.buckets.get(bound) ?? 0) + value);
    }
  }
  return readings;
}

/** What a histogram recorded between two readings. */
export function difference(before: HistogramReading, after: HistogramReading): HistogramReading {
  const buckets = new Map([...after.buckets].map(([bound, count]) => [bound, count - (before.buckets.get(bound) ?? 0)]));
  return { buckets, count: after.count - before.count, sum: after.sum - before.sum };
}

/** The share of a reading's observations within each bound. */
export function sharesWithin(reading: HistogramReading, bounds: readonly string[]): Array<[string, number]> {
  return bounds.map((bound) => [bound, reading.count > 0 ? (reading.buckets.get(bound) ?? 0) / reading.count : Number.NaN]);
}
