import { readFile } from 'node:fs/promises';
import { closedLoop, type LoadTarget, type Measurement } from './load.js';

/** Clock ticks per second of `/proc/<pid>/stat` (USER_HZ), 100 on every Linux build Node.js runs on. */
const TICKS_PER_SECOND = 100;

/** CPU time (s) a process has used, user and system, from `/proc/<pid>/stat`; undefined off Linux. */
export async function cpuSeconds(pid: number): Promise<number | undefined> {
  try {
    // Fields after the command name (which may hold spaces, so split after its closing parenthesis).
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** CPU time a process used over some runs, and the wall time of those runs. */
export interface CpuTally {
  cpuSeconds: number;
  wallSeconds: number;
}

/** Runs `work` and adds to `tally` the CPU time `pid` used meanwhile (NaN off Linux) and the run's wall time. */
export async function tallyCpu<T>(pid: number, tally: CpuTally, work: () => Promise<T>): Promise<T> {
  const before = await cpuSeconds(pid);
  const started = performance.now();
  const result = await work();
  const after = await cpuSeconds(pid);
  tally.wallSeconds += (performance.now() - started) / 1000;
  tally.cpuSeconds += (after ?? Number.NaN) - (before ?? Number.NaN);
  return result;
}

export interface SharedRun {
  measurement: Measurement;
  /** The server's CPU time per answered request (µs). */
  cpuMicros: number;
}

/**
 * Full-speed closed loops against several servers at once, each a process pinned to the same CPU: the
 * CPU's speed, whatever drifts it, is the same for all of them within the run, so their CPU time per
 * request compares them where back-to-back runs on a shared machine differ by tens of percent.
 */
export async function sharedCpuRun(targets: ReadonlyArray<{ pid: number; target: LoadTarget }>, seconds: number, connections: number): Promise<SharedRun[] | undefined> {
  const before = await Promise.all(targets.map(({ pid }) => cpuSeconds(pid)));
  const measurements = await Promise.all(targets.map(({ target }) => closedLoop(target, seconds, connections)));
  const after = await Promise.all(targets.map(({ pid }) => cpuSeconds(pid)));
  if ([...before, ...after].some((value) => value === undefined)) return undefined;
  return measurements.map((measurement, i) => ({
    measurement,
    cpuMicros: (1e6 * (after[i]! - before[i]!)) / (measurement.rps * seconds),
  }));
}
