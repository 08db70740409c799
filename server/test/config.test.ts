import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

const dir = mkdtempSync(join(tmpdir(), 'sb-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadConfig', () => {
  it('refuses a DATA_DIR it cannot write to, by name, before touching any database', () => {
    writeFileSync(join(dir, 'config.test.ts-not-a-dir'), 'a file where a directory should be');
    // /proc/self exists but takes no new files, even for root (permission bits would not stop root).
    expect(() => loadConfig({ DATA_DIR: '/proc/self' })).toThrow(/DATA_DIR.*not writable/s);
    expect(() => loadConfig({ DATA_DIR: join(dir, 'config.test.ts-not-a-dir', 'sub') })).toThrow(/DATA_DIR.*cannot create/s);
  });

  it('names every bad variable', () => {
    let error: unknown;
    try {
      loadConfig({ DATA_DIR: dir, PORT: 'eighty', REDIS_URL: 'http://x', SEED_DEMO: 'yes' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const vars = (error as ConfigError).problems.map((p) => p.variable).sort();
    expect(vars).toEqual(['PORT', 'REDIS_URL', 'SEED_DEMO']);
    expect((error as ConfigError).message).toContain('PORT');
  });

  it('defaults the database into DATA_DIR and keeps one generated session secret', () => {
    const a = loadConfig({ DATA_DIR: dir });
    const b = loadConfig({ DATA_DIR: dir, PORT: '' });
    expect(a.databaseUrl).toBe(`file:${join(dir, 'switchboard.db')}`);
    expect(a.port).toBe(3000);
    expect(a.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(b.sessionSecret).toBe(a.sessionSecret);
    expect(readFileSync(join(dir, 'session-secret'), 'utf8').trim()).toBe(a.sessionSecret);
  });

  it('rejects a short SESSION_SECRET', () => {
    expect(() => loadConfig({ DATA_DIR: dir, SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET/);
  });
});

describe('server boot', () => {
  it('stops with exit code 1 and a message naming the variable', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: { ...process.env, PORT: 'not-a-port', DATA_DIR: dir },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Invalid configuration:\s+PORT: /);
  });
});
