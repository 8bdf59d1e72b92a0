import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { sparePort } from '../../src/replicas/spare-port.js';

const run = promisify(execFile);

/** A throwaway Postgres cluster of this suite alone: stopping it touches no other database. */
export interface PostgresCluster {
  port: number;
  /** The connection string of `database` on this cluster. */
  url(database: string): string;
  createDatabase(name: string): Promise<string>;
  /** `pg_ctl stop -m fast`: sessions are terminated, the data stays. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the cluster and deletes its files. */
  destroy(): Promise<void>;
}

/** initdb and postgres refuse to run as root; a root test run starts them as the postgres user. */
const asRoot = process.getuid?.() === 0;

async function asClusterOwner(command: string, args: string[]): Promise<void> {
  if (asRoot) await run('runuser', ['-u', 'postgres', '--', command, ...args]);
  else await run(command, args);
}

/** initdb into a temporary directory, then start it on a spare loopback port with its socket beside it. */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'limelight-faults-pg-'));
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: group } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(group.trim()));
  }
  const data = join(dir, 'data');
  const port = await sparePort();
  await asClusterOwner('initdb', [`--pgdata=${data}`, '--auth=trust', '--username=postgres', '--encoding=UTF8', '--no-sync']);
  const start = () =>
    asClusterOwner('pg_ctl', [
      `--pgdata=${data}`,
      `--log=${join(dir, 'server.log')}`,
      '--wait',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`,
      'start',
    ]);
  const stop = () => asClusterOwner('pg_ctl', [`--pgdata=${data}`, '--wait', '-m', 'fast', 'stop']);
  await start();
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    async createDatabase(name) {
      const admin = new pg.Client({ connectionString: url('postgres') });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return url(name);
    },
    stop,
    start,
    async destroy() {
      await stop().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}
