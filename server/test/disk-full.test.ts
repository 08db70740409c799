import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, setupApp, testDatabase, type TestApp } from './helper.ts';
import { newContact, newTeam } from './factories.ts';
import { requireServices } from './support/process.ts';
import { uploadCsv } from './support/imports.ts';

/**
 * A real full disk: DATA_DIR on a 72 MB tmpfs (just over the start-up minimum), filled to the last
 * byte once the server runs. Mounting needs root; CI runs as root and must not skip.
 */
const mountDir = mkdtempSync(join(tmpdir(), 'sb-full-'));
let mounted = false;
// SQLite only: the database is a file on the full tmpfs (PostgreSQL's data lives on its own server's disk).
if (testDatabase === 'sqlite') {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=72m', 'tmpfs', mountDir], { stdio: 'pipe' });
    mounted = true;
  } catch (err) {
    if (requireServices) throw new Error(`REQUIRE_SERVICES=1 but a tmpfs could not be mounted: ${(err as Error).message}`);
  }
}

const filler = join(mountDir, 'filler.bin');

/** Writes until the file system says ENOSPC: afterwards not one more byte fits. */
function fillDisk(): void {
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(1024 * 1024, 1);
  try {
    for (let size = chunk.length; size >= 512; ) {
      try {
        writeSync(fd, chunk, 0, size);
      } catch (err) {
        if ((err as { code?: string }).code !== 'ENOSPC') throw err;
        size >>= 1;
      }
    }
  } finally {
    closeSync(fd);
  }
}

let t: TestApp;
beforeAll(async () => {
  if (mounted) t = await setupApp({ DATA_DIR: mountDir });
});
afterAll(async () => {
  await t?.close();
  if (mounted) execFileSync('umount', ['-l', mountDir]);
  rmSync(mountDir, { recursive: true, force: true });
});

describe.runIf(mounted)('a full disk', () => {
  it('refuses uploads and edits with 507 naming the cause, keeps the database intact, and works again once space is freed', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    const lead = await login(t.app, members.lead.email);
    const contact = await newContact(t.db, { workspaceId: ws });
    const csv = ['First name,Phone', ...Array.from({ length: 60_000 }, (_, i) => `Row ${i},+33 6 ${String(10_000_000 + i)}`)].join('\n');

    fillDisk();
    expect(statfsSync(mountDir).bavail).toBe(0);

    const upload = await uploadCsv(t, lead, ws, csv);
    expect(upload.statusCode).toBe(507);
    expect(upload.json()).toMatchObject({ code: 'insufficient_storage', details: [{ path: 'file' }] });
    expect(upload.json().message).toMatch(/^file: .*disk is full/);
    expect(readdirSync(join(mountDir, 'jobs', 'uploads'))).toEqual([]);

    // Notes until the database cannot grow: each answer is 201 or 507, never a 500.
    const statuses: number[] = [];
    const body = 'n'.repeat(4000);
    for (let i = 0; i < 400 && !statuses.includes(507); i++) {
      const res = await t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/contacts/${contact.id}/notes`, headers: { cookie: lead }, payload: { body: `${i} ${body}` } });
      statuses.push(res.statusCode);
      if (res.statusCode === 507) expect(res.json()).toMatchObject({ code: 'insufficient_storage' });
    }
    expect(statuses.filter((s) => s !== 201 && s !== 507)).toEqual([]);
    expect(statuses).toContain(507);
    const saved = statuses.filter((s) => s === 201).length;

    rmSync(filler);

    // Nothing half-written: exactly the notes answered 201, each with its audit entry; the file is sound.
    const count = (sql: string) => Number((t.db.conn.prepare(sql).get(contact.id) as { n: number }).n);
    expect(count('SELECT COUNT(*) AS n FROM Note WHERE contactId = ?')).toBe(saved);
    expect(count(`SELECT COUNT(*) AS n FROM AuditEvent WHERE contactId = ? AND action = 'note.added'`)).toBe(saved);
    expect(t.db.conn.pragma('integrity_check', { simple: true })).toBe('ok');

    const again = await uploadCsv(t, lead, ws, csv);
    expect(again.statusCode).toBe(201);
    const note = await t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/contacts/${contact.id}/notes`, headers: { cookie: lead }, payload: { body: 'after' } });
    expect(note.statusCode).toBe(201);
  });
});
