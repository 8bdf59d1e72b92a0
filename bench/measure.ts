/**
 * Median cost of one operation, in microseconds. The operation (called with a running index) is first
 * warmed up for `warmupMs` so that the JIT has compiled it, then timed in batches of about 10 ms, as
 * many batches as fit in `budgetMs` (at least 3, at most 15); the figure is the median over batches of
 * the time per call, which shrugs off the odd garbage collection or scheduler pause of a noisy machine.
 */
export function medianMicroseconds(operation: (index: number) => void, budgetMs = 400, warmupMs = 60): number {
  let index = 0;
  const warmupStart = performance.now();
  do operation(index++);
  while (performance.now() - warmupStart < warmupMs || index < 2);
  const perCall = (performance.now() - warmupStart) / index;
  const batchSize = Math.max(1, Math.floor(10 / perCall));
  const batches = Math.min(15, Math.max(3, Math.floor(budgetMs / (batchSize * perCall))));
  const samples: number[] = [];
  for (let batch = 0; batch < batches; batch++) {
    const start = performance.now();
    for (let call = 0; call < batchSize; call++) operation(index++);
    samples.push(((performance.now() - start) * 1000) / batchSize);
  }
  samples.sort((x, y) => x - y);
  return samples[Math.floor(samples.length / 2)]!;
}
