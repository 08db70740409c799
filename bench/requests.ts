// What one request costs on each database: the side panel's edits, reading a contact, and an
// inbound message, sent one after the other through the real route (in-process, app.inject) on a
// small fresh workspace, so the figure is the request's own work and its round trips to the
// database, not a big table's plans.
//
//   npm run bench:requests -- [--requests 300] [--database sqlite,postgres]
//
// SQLite runs on a temp file; PostgreSQL on a fresh database on PG_ADMIN_URL (default
// postgresql://postgres@127.0.0.1:5432/postgres), dropped afterwards. Prints a Markdown table.
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../server/src/db/client.ts';
import { login, setupApp } from '../server/test/helper.ts';
import { newApiKey, newContact, newField, newTeam } from '../server/test/factories.ts';
import { createTestDatabase } from '../server/test/support/postgres.ts';

const { values: opt } = parseArgs({
  options: {
    requests: { type: 'string', default: '300' },
    database: { type: 'string', default: 'sqlite,postgres' },
  },
});
const N = Number(opt.requests);
if (!Number.isInteger(N) || N < 10) throw new Error('--requests must be an integer ≥ 10');

interface Case {
  name: string;
  run(i: number): Promise<{ statusCode: number; body: string }>;
}

async function casesFor(app: FastifyInstance, db: Db): Promise<Case[]> {
  const team = await newTeam(db);
  const ws = team.workspace.id;
  const cookie = await login(app, team.members.agent.email);
  await newField(db, { workspaceId: ws, key: 'plan', type: 'text' });
  const contact = await newContact(db, { workspaceId: ws });
  const { key } = await newApiKey(db, ws);
  const url = `/api/workspaces/${ws}/contacts/${contact.id}`;
  const patch = (ops: object[]) => app.inject({ method: 'PATCH', url, headers: { cookie }, payload: { ops } });
  return [
    { name: 'GET contact (side panel)', run: () => app.inject({ url, headers: { cookie } }) },
    { name: 'PATCH contact: set a custom field', run: (i) => patch([{ op: 'setField', key: 'plan', value: `plan ${i}` }]) },
    { name: 'PATCH contact: add a tag (5 tags in turn)', run: (i) => patch([{ op: i % 2 ? 'removeTag' : 'addTag', tag: `tag ${i % 5}` }]) },
    { name: 'POST note', run: (i) => app.inject({ method: 'POST', url: `${url}/notes`, headers: { cookie }, payload: { body: `Note ${i}` } }) },
    {
      name: 'POST /api/inbound/messages (30 contacts in turn)',
      run: (i) =>
        app.inject({
          method: 'POST',
          url: '/api/inbound/messages',
          headers: { authorization: `Bearer ${key}` },
          payload: { channel: 'messenger', channelUserId: `visitor-${i % 30}`, profile: { firstName: 'Léa', lastName: `Martin ${i % 30}` }, message: { externalId: `m-${i}`, text: `Hello ${i}` } },
        }),
    },
  ];
}

async function measure(kind: string): Promise<Map<string, number[]>> {
  const pg = kind === 'postgres' ? await createTestDatabase() : undefined;
  const t = await setupApp({ INBOUND_RATE_LIMIT: '1000000', ...(pg ? { DATABASE_URL: pg.url } : {}) });
  const out = new Map<string, number[]>();
  try {
    for (const c of await casesFor(t.app, t.db)) {
      for (let i = 0; i < 20; i++) await c.run(-1 - i); // warm-up
      const ms: number[] = [];
      for (let i = 0; i < N; i++) {
        const t0 = performance.now();
        const res = await c.run(i);
        ms.push(performance.now() - t0);
        if (res.statusCode >= 300) throw new Error(`${kind} ${c.name}: ${res.statusCode} ${res.body}`);
      }
      out.set(c.name, ms);
    }
  } finally {
    await t.close();
    await pg?.drop();
  }
  return out;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));

const kinds = opt.database.split(',');
const results = new Map<string, Map<string, number[]>>();
for (const kind of kinds) results.set(kind, await measure(kind));

console.log(`\n${N} requests per case, one after the other, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`);
console.log(`\n| request | ${kinds.map((k) => `${k} p50 / p95`).join(' | ')} |`);
console.log(`|---|${kinds.map(() => '--:').join('|')}|`);
for (const name of results.get(kinds[0]!)!.keys()) {
  console.log(`| ${name} | ${kinds.map((k) => `${fmt(pct(results.get(k)!.get(name)!, 50))} / ${fmt(pct(results.get(k)!.get(name)!, 95))} ms`).join(' | ')} |`);
}
