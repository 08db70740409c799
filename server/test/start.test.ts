import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from './support/process.ts';
import { serverDatabase, type ServerDatabase } from './support/server-database.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'sb-start-'));
let database: ServerDatabase;
beforeAll(async () => {
  database = await serverDatabase(dataDir);
});
afterAll(async () => {
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const counts = async () => {
  const tables = ['Workspace', 'Agent', 'Contact', 'Conversation', 'Message', 'Tag', 'CustomField', 'Segment'];
  const result: Record<string, number> = {};
  for (const t of tables) result[t] = (await database.value<number>(`SELECT count(*) FROM ${t}`))!;
  return result;
};

describe('the server process', () => {
  it('seeds an empty DATA_DIR on first start, reuses it on the second, and stops cleanly on SIGTERM', async () => {
    const first = await startServer({ DATA_DIR: dataDir, ...database.env });
    expect(first.output()).toContain('seeding the demo workspace');
    expect(first.output()).toMatch(/agent@demo\.test\s+agent/);
    const health = await fetch(`${first.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await first.stop('SIGTERM')).toBe(0);
    const before = await counts();
    expect(before).toMatchObject({ Workspace: 1, Agent: 4, Contact: 2000, Conversation: 300 });

    const second = await startServer({ DATA_DIR: dataDir, ...database.env });
    expect(second.output()).not.toContain('seeding');
    const login = await fetch(`${second.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'agent@demo.test', password: 'switchboard' }),
    });
    expect(login.status).toBe(200);
    expect(await second.stop()).toBe(0);
    expect(await counts()).toEqual(before);
  });

  it('honours PORT and skips the demo with SEED_DEMO=0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-start-port-'));
    const empty = await serverDatabase(dir);
    try {
      // An ephemeral port picked by the OS is free; ask for it explicitly.
      const probe = await startServer({ DATA_DIR: dir, SEED_DEMO: '0', ...empty.env });
      const port = new URL(probe.url).port;
      await probe.stop();
      const server = await startServer({ DATA_DIR: dir, SEED_DEMO: '0', PORT: port, ...empty.env });
      expect(server.url).toBe(`http://127.0.0.1:${port}`);
      expect(server.output()).not.toContain('Demo logins');
      await server.stop();
      expect(await empty.value('SELECT count(*) FROM Workspace')).toBe(0);
    } finally {
      await empty.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
