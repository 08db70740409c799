import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from './support/process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'sb-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const counts = () => {
  const db = new Database(join(dataDir, 'switchboard.db'), { readonly: true });
  const tables = ['Workspace', 'Agent', 'Contact', 'Conversation', 'Message', 'Tag', 'CustomField', 'Segment'];
  const result = Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number]));
  db.close();
  return result;
};

describe('the server process', () => {
  it('seeds an empty DATA_DIR on first start, reuses it on the second, and stops cleanly on SIGTERM', async () => {
    const first = await startServer({ DATA_DIR: dataDir });
    expect(first.output()).toContain('seeding the demo workspace');
    expect(first.output()).toMatch(/agent@demo\.test\s+agent/);
    const health = await fetch(`${first.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await first.stop('SIGTERM')).toBe(0);
    const before = counts();
    expect(before).toMatchObject({ Workspace: 1, Agent: 4, Contact: 2000, Conversation: 300 });

    const second = await startServer({ DATA_DIR: dataDir });
    expect(second.output()).not.toContain('seeding');
    const login = await fetch(`${second.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'agent@demo.test', password: 'switchboard' }),
    });
    expect(login.status).toBe(200);
    expect(await second.stop()).toBe(0);
    expect(counts()).toEqual(before);
  });

  it('honours PORT and skips the demo with SEED_DEMO=0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-start-port-'));
    // An ephemeral port picked by the OS is free; ask for it explicitly.
    const probe = await startServer({ DATA_DIR: dir, SEED_DEMO: '0' });
    const port = new URL(probe.url).port;
    await probe.stop();
    const server = await startServer({ DATA_DIR: dir, SEED_DEMO: '0', PORT: port });
    expect(server.url).toBe(`http://127.0.0.1:${port}`);
    expect(server.output()).not.toContain('Demo logins');
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });
});
