import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp, type AppOptions } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { openDb, type Db } from '../src/db/client.ts';
import { createTestDatabase } from './support/postgres.ts';

/** TEST_DATABASE=postgres runs the suite on a fresh PostgreSQL database per app (dropped on close). */
export const testDatabase = process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  config: Config;
  dataDir: string;
  close(): Promise<void>;
}

/** Boots the real app on a fresh, migrated SQLite file in a temp dir (`options`: opt into the job runner, the outbound worker). */
export async function setupApp(env: Record<string, string> = {}, options: Pick<AppOptions, 'jobs' | 'outbound'> = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-test-'));
  const pg = testDatabase === 'postgres' && !env.DATABASE_URL ? await createTestDatabase() : undefined;
  const config = loadConfig({ DATA_DIR: dataDir, SEED_DEMO: '0', LOG_LEVEL: 'silent', ...(pg ? { DATABASE_URL: pg.url } : {}), ...env });
  const db = await openDb(config.databaseUrl);
  const app = await buildApp({ config, db, logger: false, webRoot: join(dataDir, 'no-web-build'), ...options });
  await app.ready();
  return {
    app,
    db,
    config,
    dataDir,
    close: async () => {
      await app.close();
      await db.close();
      await pg?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The session cookie header value from a login response. */
export function cookieOf(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === 'sb_session');
  if (!c) throw new Error(`no session cookie in response ${res.statusCode}: ${res.body}`);
  return `sb_session=${c.value}`;
}

export async function login(app: FastifyInstance, email: string, password = 'password123'): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login ${email} failed: ${res.statusCode} ${res.body}`);
  return cookieOf(res);
}
