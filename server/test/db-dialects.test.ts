import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../src/db/client.ts';
import { migratePostgres } from '../src/db/postgres.ts';
import { numberPlaceholders } from '../src/db/sql.ts';
import { repoRoot } from './support/process.ts';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './support/postgres.ts';

const withPostgres = await postgresAvailable();

interface Target {
  db: Db;
  cleanup(): Promise<void>;
}

async function sqliteTarget(): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-dialect-'));
  const db = await openDb(`file:${join(dir, 'x.db')}`);
  return { db, cleanup: async () => (await db.close(), rmSync(dir, { recursive: true, force: true })) };
}

async function postgresTarget(): Promise<Target> {
  const database: TestDatabase = await createTestDatabase();
  const db = await openDb(database.url);
  return { db, cleanup: async () => (await db.close(), await database.drop()) };
}

describe('one schema for both databases', () => {
  it('the PostgreSQL schema is generated from prisma/schema.prisma, and both migration sets reach their schema', () => {
    const tool = (script: string, ...args: string[]) => execFileSync(process.execPath, [join(repoRoot, 'prisma/tools', script), ...args], { cwd: repoRoot, encoding: 'utf8' });
    expect(() => tool('postgres-schema.mjs', '--check')).not.toThrow();
    expect(tool('diff.mjs', '--print')).toMatch(/agree: nothing to write/);
    expect(tool('diff-postgres.mjs', '--print')).toMatch(/agree: nothing to write/);
  });
});

describe('placeholders', () => {
  it('numbers ? outside strings, quoted names and comments', () => {
    expect(numberPlaceholders(`SELECT '?', "a?" FROM t WHERE x = ? AND y IN (?, ?) -- why?\nAND z = ?`)).toBe(
      `SELECT '?', "a?" FROM t WHERE x = $1 AND y IN ($2, $3) -- why?\nAND z = $4`,
    );
  });
});

describe.runIf(withPostgres)('PostgreSQL migrations', () => {
  it('apply once, and a second start (or a second node) finds nothing to do', async () => {
    const database = await createTestDatabase();
    try {
      const [first, second] = await Promise.all([migratePostgres(database.url), migratePostgres(database.url)]);
      expect([...first, ...second].sort()).toEqual((first.length ? first : second).sort());
      expect(first.length + second.length).toBeGreaterThan(0);
      expect(await migratePostgres(database.url)).toEqual([]);
    } finally {
      await database.drop();
    }
  });
});

describe.runIf(withPostgres)('PostgreSQL transactions', () => {
  it('plan every prepared statement for its parameters, on the pool and in a transaction (sql.ts, CUSTOM_PLANS)', async () => {
    const target = await postgresTarget();
    try {
      const { db } = target;
      const modes = await Promise.all(Array.from({ length: 12 }, () => db.sql.value('SHOW plan_cache_mode')));
      modes.push(await db.tx((_tx, sql) => sql.value('SHOW plan_cache_mode')));
      expect(new Set(modes)).toEqual(new Set(['force_custom_plan']));
    } finally {
      await target.cleanup();
    }
  });

  it("run raw SQL on the transaction's own connection, while Prisma opens transactions of its own beside them", async () => {
    const target = await postgresTarget();
    const { db } = target;
    try {
      // Three loops of Prisma batch transactions take pool connections the same way db.tx's
      // transaction does, all the time the db.tx calls below start.
      let stop = false;
      let beside = 0;
      const noise = Array.from({ length: 3 }, async () => {
        while (!stop) {
          await db.prisma.$transaction([db.prisma.workspace.create({ data: { name: 'beside' } }), db.prisma.workspace.count()]);
          beside++;
        }
      });
      const rounds = await Promise.all(
        Array.from({ length: 40 }, () =>
          db.tx(async (tx, sql) => {
            const viaSql = await sql.value<number>('SELECT pg_backend_pid()');
            const [viaPrisma] = await tx.$queryRawUnsafe<{ pid: number }[]>('SELECT pg_backend_pid() AS pid');
            return { viaSql, viaPrisma: viaPrisma!.pid };
          }),
        ),
      );
      stop = true;
      await Promise.all(noise);
      for (const { viaSql, viaPrisma } of rounds) expect(viaSql).toBe(viaPrisma);
      expect(beside).toBeGreaterThan(0);
      expect(await db.sql.value('SELECT count(*) FROM Workspace')).toBe(beside);
    } finally {
      await target.cleanup();
    }
  });
});

const dialects: [string, () => Promise<Target>, boolean][] = [
  ['SQLite', sqliteTarget, true],
  ['PostgreSQL', postgresTarget, withPostgres],
];

for (const [name, open, available] of dialects) {
  describe.runIf(available)(`one Sql on ${name}`, () => {
    let target: Target;
    let db: Db;
    let workspaceId: number;
    beforeAll(async () => {
      target = await open();
      db = target.db;
      workspaceId = (await db.prisma.workspace.create({ data: { name: 'Dialects' } })).id;
    });
    afterAll(() => target?.cleanup());

    it('reads rows shaped the same: times as unix ms, counts as numbers, JSON as text', async () => {
      const at = new Date('2026-11-29T10:20:30.456Z');
      const agent = await db.prisma.agent.create({ data: { email: `a${name}@x.test`, name: 'Ann', passwordHash: 'x', createdAt: at } });
      await db.prisma.segment.create({ data: { workspaceId, name: 'VIP', filter: { and: [] }, authorId: agent.id } });

      const row = await db.sql.get<{ id: number; createdAt: number; name: string }>('SELECT id, createdAt, name FROM Agent WHERE email = ?', [`a${name}@x.test`]);
      expect(row).toEqual({ id: agent.id, createdAt: at.getTime(), name: 'Ann' });
      expect(typeof (await db.sql.value('SELECT count(*) FROM Agent'))).toBe('number');
      expect(await db.sql.value('SELECT count(*) AS n FROM Agent WHERE createdAt >= ?', [at])).toBe(1);
      expect(await db.sql.value('SELECT count(*) AS n FROM Agent WHERE createdAt > ?', [at])).toBe(0);
      expect(JSON.parse((await db.sql.value<string>('SELECT filter FROM Segment WHERE workspaceId = ?', [workspaceId]))!)).toEqual({ and: [] });
      expect(await db.sql.column('SELECT name FROM Agent ORDER BY id')).toEqual(['Ann']);
    });

    it('runs raw SQL inside a transaction, which sees its own writes and rolls back with it', async () => {
      const ids = await db.tx(async (tx, sql) => {
        const tag = await tx.tag.create({ data: { workspaceId, name: 'inside' } });
        const seen = await sql.column<number>('SELECT id FROM Tag WHERE workspaceId = ?', [workspaceId]);
        expect(await sql.run('UPDATE Tag SET name = ? WHERE id = ?', ['renamed', tag.id])).toBe(1);
        return seen;
      });
      expect(ids).toHaveLength(1);
      await expect(
        db.tx(async (_tx, sql) => {
          await sql.run('INSERT INTO Tag (workspaceId, name, createdAt) VALUES (?, ?, ?)', [workspaceId, 'lost', new Date()]);
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await db.sql.column('SELECT name FROM Tag WHERE workspaceId = ? ORDER BY name', [workspaceId])).toEqual(['renamed']);
      const inserted = await db.tx((_tx, sql) => sql.get<{ id: number }>('INSERT INTO Tag (workspaceId, name, createdAt) VALUES (?, ?, ?) RETURNING id', [workspaceId, 'new', new Date()]));
      expect(typeof inserted?.id).toBe('number');
    });

    it('runs write transactions one at a time: read-check-write never interleaves', async () => {
      const counter = await db.prisma.tag.create({ data: { workspaceId, name: 'counter', color: '0' } });
      await Promise.all(
        Array.from({ length: 20 }, () =>
          db.tx(async (_tx, sql) => {
            const n = Number(await sql.value<string>('SELECT color FROM Tag WHERE id = ?', [counter.id]));
            await new Promise((r) => setTimeout(r, 2));
            await sql.run('UPDATE Tag SET color = ? WHERE id = ?', [String(n + 1), counter.id]);
          }),
        ),
      );
      expect(await db.sql.value('SELECT color FROM Tag WHERE id = ?', [counter.id])).toBe('20');
    });
  });
}
