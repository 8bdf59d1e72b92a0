import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { sparePort } from './spare-port.js';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ReplicaEnv {
  databaseUrl: string;
  redisUrl: string;
  redisKeyPrefix: string;
  adminApiKey: string;
}

export interface ReplicaOptions {
  /** Environment over the defaults below (POLICIES_DIR, MODEL_STALENESS_MS, LOG_LEVEL, …). */
  env?: Record<string, string>;
  /** Flags for `node` before the entry, such as `--cpu-prof`. */
  nodeFlags?: string[];
  /** The entry script, from the project root (default `src/main.ts`). */
  entry?: string;
  /** A `taskset -c` CPU list to pin the process to; pass one only when `canPin()`. */
  cpus?: string;
}

/** One service replica as its own process (`node --import tsx src/main.ts`), as it runs in production. */
export interface ReplicaProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** The pino lines (JSON) it wrote to stdout, parsed. */
  logs: Array<Record<string, unknown>>;
  /** The last 4 kB it wrote to stderr, for the message of a failed run. */
  stderr(): string;
  /** Sends `signal` and resolves with the exit code (null when killed by a signal) and the time it took. */
  stop(signal: NodeJS.Signals): Promise<{ code: number | null; ms: number }>;
}

/** Starts a replica on a spare loopback port and resolves once it answers `/healthz`. */
export async function startReplica(name: string, env: ReplicaEnv, options: ReplicaOptions = {}): Promise<ReplicaProcess> {
  const port = await sparePort();
  const args = [...(options.nodeFlags ?? []), '--import', 'tsx', options.entry ?? 'src/main.ts'];
  const [command, commandArgs] =
    options.cpus !== undefined ? ['taskset', ['-c', options.cpus, process.execPath, ...args]] : [process.execPath, args];
  const child: ChildProcess = spawn(command as string, commandArgs as string[], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: env.redisUrl,
      REDIS_KEY_PREFIX: env.redisKeyPrefix,
      ADMIN_API_KEY: env.adminApiKey,
      POLICIES_DIR: 'policies',
      MODEL_STALENESS_MS: '100',
      SWEEP_INTERVAL_MS: '200',
      LOG_LEVEL: 'warn',
      // A load client is one key sending hundreds of requests a second; the limiter is not what it measures.
      RATE_LIMIT_PER_SECOND: '1000000',
      ...options.env,
    },
  });
  const logs: Array<Record<string, unknown>> = [];
  let stderr = '';
  let pending = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ msg: line });
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4_000);
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const url = `http://127.0.0.1:${port}`;
  await waitUntilHealthy(url, exited, () => stderr);
  return {
    name,
    url,
    child,
    logs,
    stderr: () => stderr,
    async stop(signal) {
      const started = performance.now();
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const [code] = await exited;
      return { code, ms: performance.now() - started };
    },
  };
}

/** Whether `taskset` can pin a process here: it exists and there are two CPUs or more. */
export function canPin(): boolean {
  return availableParallelism() > 1 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
}

async function waitUntilHealthy(url: string, exited: Promise<unknown>, stderr: () => string): Promise<void> {
  let dead = false;
  void exited.then(() => (dead = true));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (dead) throw new Error(`replica exited during start-up: ${stderr()}`);
    const healthy = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) }).then((res) => res.ok, () => false);
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`replica at ${url} did not answer /healthz within 60 s: ${stderr()}`);
}
