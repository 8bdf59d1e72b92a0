import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { sparePort } from '../../src/replicas/spare-port.js';

/**
 * A Redis of this suite alone, as a child process on a spare loopback port, without persistence:
 * `restart` brings it back empty, as a Redis that lost its data.
 */
export interface RedisProcess {
  url: string;
  /** SIGKILL: the data is gone. */
  kill(): Promise<void>;
  /** A new, empty server on the same port. */
  start(): Promise<void>;
}

export async function startRedisProcess(): Promise<RedisProcess> {
  const port = await sparePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await waitForPing(url);
  };
  await start();
  return {
    url,
    async kill() {
      const running = child;
      if (!running || running.exitCode !== null) return;
      const exited = once(running, 'exit');
      running.kill('SIGKILL');
      await exited;
    },
    start,
  };
}

async function waitForPing(url: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => {});
    try {
      await redis.connect();
      if ((await redis.ping()) === 'PONG') return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    } finally {
      redis.disconnect();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
