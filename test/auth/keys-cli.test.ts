import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/auth/api-key.js';
import { PgliteDatabase } from '../../src/db/pglite-database.js';
import { requirePostgres } from '../helpers/test-database.js';
import { SHIPPED_POLICIES_DIR, startTestService, type TestService } from '../helpers/test-service.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `npm run keys` against the service's Postgres database when DATABASE_URL is set, the service
 * answering with the keys it manages; otherwise against an embedded database in a directory of its own.
 */
describe('npm run keys', () => {
  const postgres = requirePostgres() !== undefined;
  let service: TestService | undefined;
  let dataDir: string | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    if (postgres) {
      // No key cache, so that a revoke from the command line bites at once.
      service = await startTestService({ backend: 'postgres', env: { API_KEY_CACHE_MS: '0' } });
      env = { DATABASE_URL: service.databaseUrl! };
    } else {
      dataDir = await mkdtemp(join(tmpdir(), 'limelight-keys-'));
      env = { LIMELIGHT_DATA_DIR: dataDir };
    }
  });
  afterAll(async () => {
    await service?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const keys = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      const childEnv = { ...process.env, POLICIES_DIR: SHIPPED_POLICIES_DIR, DATABASE_URL: '', ...env };
      execFile(process.execPath, ['--import', 'tsx', 'src/cli/keys.ts', ...args], { cwd: ROOT, env: childEnv }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      });
    });

  it('creates a key shown once, lists it without secrets, and revokes it', async () => {
    const created = await keys('create', '--name', 'home backend', '--scopes', 'decide,read', '--surfaces', 'home,browse');
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^ll_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toContain('This is the only time it is shown');

    const listed = await keys('list', '--format', 'json');
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain(key);
    expect(listed.stdout).not.toContain(hashApiKey(key));
    const [row] = JSON.parse(listed.stdout) as Array<{ id: string; name: string; scopes: string; surfaces: string; revokedAt: string }>;
    expect(row).toMatchObject({ name: 'home backend', scopes: 'decide,read', surfaces: 'browse,home', revokedAt: '' });

    if (service) {
      const bearer = { authorization: `Bearer ${key}` };
      await request(service.url).get('/surfaces/browse').set(bearer).expect(200);
      await request(service.url).get('/surfaces/home').set(bearer).expect(200);
      await request(service.url).get('/surfaces/search').set(bearer).expect(403);
    }

    const revoked = await keys('revoke', row!.id);
    expect(revoked).toMatchObject({ code: 0 });
    expect(revoked.stdout).toContain(`Revoked ${row!.id} (home backend)`);
    const after = JSON.parse((await keys('list', '--format', 'json')).stdout) as Array<{ revokedAt: string }>;
    expect(after[0]!.revokedAt).not.toBe('');
    if (service) await request(service.url).get('/surfaces/browse').set({ authorization: `Bearer ${key}` }).expect(401);
    if (dataDir) {
      const db = await PgliteDatabase.open(dataDir);
      try {
        const { rows } = await db.query('SELECT * FROM api_keys');
        expect(JSON.stringify(rows)).not.toContain(key);
        expect(JSON.stringify(rows)).toContain(hashApiKey(key));
      } finally {
        await db.close();
      }
    }
  });

  it('refuses bad arguments with exit status 2, before opening the database', async () => {
    const cases: Array<[string[], string]> = [
      [['create', '--scopes', 'read'], '--name is required'],
      [['create', '--name', 'x'], '--scopes is required'],
      [['create', '--name', 'x', '--scopes', 'read,write'], '--scopes: unknown scope "write"'],
      [['create', '--name', 'x', '--scopes', 'read', '--surfaces', 'nowhere'], '--surfaces: surface "nowhere" does not exist'],
      [['revoke'], 'revoke takes exactly one key id'],
      [['revoke', 'not-an-id'], '"not-an-id" is not a key id'],
      [['rotate'], 'unknown command "rotate"'],
    ];
    const results = await Promise.all(cases.map(([args]) => keys(...args)));
    expect(results.map((result) => [result.code, result.stderr.split('\n')[0]])).toEqual(
      cases.map(([, message]) => [2, expect.stringContaining(message)]),
    );
  });

  it('exits 1 when revoking a key that does not exist', async () => {
    const result = await keys('revoke', '00000000-0000-4000-8000-000000000000');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no key has id');
  });
});
