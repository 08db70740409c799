import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDatabase } from '../src/backup/backup.ts';
import { sqlitePath } from '../src/db/sqlite.ts';
import { newContact, newTeam } from './factories.ts';
import { setupApp, testDatabase, type TestApp } from './helper.ts';

let t: TestApp;
let dir: string;

const count = (file: string, workspaceId: number) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM Contact WHERE workspaceId = ?').pluck().get(workspaceId) as number;
  } finally {
    db.close();
  }
};

// The SQLite backup tool copies the SQLite file; PostgreSQL is backed up with pg_dump (docs/OPERATIONS.md).
describe.runIf(testDatabase === 'sqlite')('npm run backup', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-backup-'));
    t = await setupApp();
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies the live database consistently while writes go on, and the copy restores', async () => {
    const { workspace } = await newTeam(t.db);
    for (let i = 0; i < 50; i++) await newContact(t.db, { workspaceId: workspace.id });
    // Writes keep landing while the backup copies pages; the copy is one snapshot of them.
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await newContact(t.db, { workspaceId: workspace.id });
        await new Promise((r) => setImmediate(r));
      }
    })();
    const out = join(dir, 'copy.db');
    const r = await backupDatabase(sqlitePath(t.config.databaseUrl), out);
    writing = false;
    await writer;
    expect(r.bytes).toBeGreaterThan(0);
    const copied = count(out, workspace.id);
    expect(copied).toBeGreaterThanOrEqual(50);
    expect(copied).toBeLessThanOrEqual(count(sqlitePath(t.config.databaseUrl), workspace.id));
    const check = new Database(out, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    check.close();

    // Restore as docs/OPERATIONS.md says: the copy becomes DATA_DIR/switchboard.db of a stopped server.
    const restoredDir = join(dir, 'restored');
    mkdirSync(restoredDir);
    copyFileSync(out, join(restoredDir, 'switchboard.db'));
    const again = await setupApp({ DATA_DIR: restoredDir });
    try {
      const n = await again.db.prisma.contact.count({ where: { workspaceId: workspace.id } });
      expect(n).toBe(copied);
    } finally {
      await again.close();
    }
  });

  it('refuses to overwrite an existing file and leaves no partial copy behind', async () => {
    const out = join(dir, 'twice.db');
    await backupDatabase(sqlitePath(t.config.databaseUrl), out);
    await expect(backupDatabase(sqlitePath(t.config.databaseUrl), out)).rejects.toThrow(/exists already/);
    expect(existsSync(`${out}.partial`)).toBe(false);
  });

  it('runs as a command against DATA_DIR', () => {
    const out = join(dir, 'cli.db');
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', 'src/backup/cli.ts', '--out', out], {
      env: { ...process.env, DATA_DIR: t.dataDir, DATABASE_URL: '' },
      encoding: 'utf8',
    });
    expect(stdout).toMatch(/Backed up .* to .*cli\.db/);
    expect(existsSync(out)).toBe(true);
  });
});
