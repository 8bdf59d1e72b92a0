import { tallyCpu, type CpuTally } from './cpu-per-request.js';
import { openLoop, type LoadTarget, type Measurement } from './load.js';

/** How each sweep run is paced and measured (the same as the half-load rounds). */
export interface SweepSettings {
  /** Offered loads as fractions of the service's maximum, in increasing order. */
  fractions: readonly number[];
  /** Runs per target at each load. */
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
}

/** Everything measured at one offered load. */
export interface SweepPoint {
  fraction: number;
  rate: number;
  /** Each target's runs at this rate, in the order they ran. */
  runs: Record<string, Measurement[]>;
  /** The service process's CPU time over its runs at this rate, warm-ups included. */
  serviceCpu: CpuTally;
}

/**
 * p99 against offered load: at each fraction of the service's maximum, `rounds` evenly paced runs of
 * every target in turn (the same arrivals for all), with the service process's CPU time read around its
 * own runs (`service.pid`, the target named `service.name`), so that each load's tail can be set beside how busy it kept the service.
 */
export async function sweepLatency(
  targets: Readonly<Record<string, LoadTarget>>,
  service: { name: string; pid: number; maxRps: number },
  settings: SweepSettings,
): Promise<SweepPoint[]> {
  const points: SweepPoint[] = [];
  for (const fraction of settings.fractions) {
    const rate = Math.round(fraction * service.maxRps);
    const point: SweepPoint = { fraction, rate, runs: {}, serviceCpu: { cpuSeconds: 0, wallSeconds: 0 } };
    for (let round = 1; round <= settings.rounds; round++) {
      console.log(`sweep at ${(100 * fraction).toFixed(0)} % of the service's maximum (${rate} req/s), round ${round} of ${settings.rounds}`);
      for (const [name, target] of Object.entries(targets)) {
        const run = () => openLoop(target, settings.seconds, rate, settings.connections, settings.warmupSeconds);
        const measured = name === service.name ? await tallyCpu(service.pid, point.serviceCpu, run) : await run();
        (point.runs[name] ??= []).push(measured);
      }
    }
    points.push(point);
  }
  return points;
}

/**
 * The highest offered load at which every run of `target` kept its p99 under `boundMs`, and every
 * load below it too: the loads
 * are taken in increasing order and the first with a run over the bound ends the search, so a lucky run
 * at a higher load does not count. Undefined when even the lowest load missed.
 */
export function highestLoadWithin(points: readonly SweepPoint[], target: string, boundMs: number): SweepPoint | undefined {
  let highest: SweepPoint | undefined;
  for (const point of points) {
    const runs = point.runs[target] ?? [];
    if (runs.length === 0 || runs.some((run) => !(run.p99 < boundMs) || run.errors > 0 || run.non2xx > 0)) break;
    highest = point;
  }
  return highest;
}
