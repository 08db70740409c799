import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import type { ContactDetail } from '@switchboard/shared';
import { login, setupApp, type TestApp } from './helper.ts';
import { newContact, newField, newTeam } from './factories.ts';

// Two people editing one contact at the same moment, through the real HTTP stack. Requests are
// started together with Promise.all, so they interleave wherever the server lets them.

let t: TestApp;
let ws: number;
let agent: string;
let supervisor: string;
beforeAll(async () => {
  t = await setupApp();
  const team = await newTeam(t.db);
  ws = team.workspace.id;
  agent = await login(t.app, team.members.agent.email);
  supervisor = await login(t.app, team.members.supervisor.email);
});
afterAll(() => t.close());

const patch = (cookie: string, contactId: number, ops: object[]) =>
  t.app.inject({ method: 'PATCH', url: `/api/workspaces/${ws}/contacts/${contactId}`, headers: { cookie }, payload: { ops } });

/** RACE_ROUNDS scales both races (the PostgreSQL project runs fewer, vitest.config.ts). */
const ROUNDS = Number(process.env.RACE_ROUNDS ?? 1000);
const rounds = ROUNDS.toLocaleString('en-US');

describe('concurrent edits of one contact', () => {
  it(`${rounds} times: two agents set the same field with the same expected value at once → one 200, one 409, the accepted value stays`, { timeout: 300_000 }, async () => {
    await newField(t.db, { workspaceId: ws, key: 'plan', type: 'text' });
    const contact = await newContact(t.db, { workspaceId: ws });
    let current: string | null = null;
    for (let i = 0; i < ROUNDS; i++) {
      const mine = `gold-${i}`;
      const theirs = `silver-${i}`;
      const [a, b]: [LightMyRequestResponse, LightMyRequestResponse] = await Promise.all([
        patch(agent, contact.id, [{ op: 'setField', key: 'plan', value: mine, expected: current }]),
        patch(supervisor, contact.id, [{ op: 'setField', key: 'plan', value: theirs, expected: current }]),
      ]);
      const codes = [a.statusCode, b.statusCode].sort();
      expect(codes, `iteration ${i}: ${a.body} / ${b.body}`).toEqual([200, 409]);
      const [won, lost, value]: [LightMyRequestResponse, LightMyRequestResponse, string] = a.statusCode === 200 ? [a, b, mine] : [b, a, theirs];
      expect((won.json() as ContactDetail).fields.plan).toBe(value);
      // The loser is told the value that won and who set it.
      expect(lost.json()).toMatchObject({ code: 'conflict', details: { path: 'custom.plan', current: value, changedBy: { kind: 'agent' } } });
      current = value;
    }
    const final = (await t.app.inject({ url: `/api/workspaces/${ws}/contacts/${contact.id}`, headers: { cookie: agent } })).json() as ContactDetail;
    expect(final.fields.plan).toBe(current);
    expect(final.version).toBe(1 + ROUNDS);
  });

  it(`${rounds} concurrent tag add/remove pairs on different tags → no change lost`, { timeout: 300_000 }, async () => {
    const contact = await newContact(t.db, { workspaceId: ws });
    const now = new Date();
    await t.db.tx(async (_tx, sql) => {
      const olds = Array.from({ length: ROUNDS }, (_, i) => `old-${i}`);
      const tagIds = await sql.column<number>(
        `INSERT INTO Tag (workspaceId, name, createdAt) VALUES ${olds.map(() => '(?, ?, ?)').join(', ')} RETURNING id`,
        olds.flatMap((name) => [ws, name, now]),
      );
      expect(tagIds).toHaveLength(ROUNDS);
      await sql.run(`INSERT INTO ContactTag (contactId, tagId, createdAt) VALUES ${tagIds.map(() => '(?, ?, ?)').join(', ')}`, tagIds.flatMap((id) => [contact.id, id, now]));
    });
    const responses = await Promise.all(
      Array.from({ length: ROUNDS }, (_, i) => [
        patch(agent, contact.id, [{ op: 'addTag', tag: `new-${i}` }]),
        patch(supervisor, contact.id, [{ op: 'removeTag', tag: `old-${i}` }]),
      ]).flat(),
    );
    expect(responses.filter((r) => r.statusCode !== 200).map((r) => r.body)).toEqual([]);
    const final = (await t.app.inject({ url: `/api/workspaces/${ws}/contacts/${contact.id}`, headers: { cookie: agent } })).json() as ContactDetail;
    expect(final.tags.sort()).toEqual(Array.from({ length: ROUNDS }, (_, i) => `new-${i}`).sort());
    expect(final.version).toBe(1 + 2 * ROUNDS);
  });
});
