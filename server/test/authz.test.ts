import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@switchboard/shared';
import { login, setupApp, type TestApp } from './helper.ts';
import { addMembership, newAgent, newContact, newConversation, newField, newSequence, newTeam, newTopic } from './factories.ts';
import { newFinishedImport } from './support/imports.ts';

/**
 * The minimum role of every workspace route. A route added without an entry here fails the
 * first test, so nobody ships a route without deciding who may call it.
 */
const minRole: Record<string, Role> = {
  'GET /api/workspaces/:workspaceId': 'agent',
  'GET /api/workspaces/:workspaceId/members': 'agent',
  'POST /api/workspaces/:workspaceId/members': 'admin',
  'PATCH /api/workspaces/:workspaceId/members/:agentId': 'admin',
  'DELETE /api/workspaces/:workspaceId/members/:agentId': 'admin',
  'GET /api/workspaces/:workspaceId/api-keys': 'admin',
  'POST /api/workspaces/:workspaceId/api-keys': 'admin',
  'DELETE /api/workspaces/:workspaceId/api-keys/:keyId': 'admin',
  'GET /api/workspaces/:workspaceId/contacts': 'agent',
  'POST /api/workspaces/:workspaceId/contacts': 'agent',
  'GET /api/workspaces/:workspaceId/contacts/:contactId': 'agent',
  'PATCH /api/workspaces/:workspaceId/contacts/:contactId': 'agent',
  'DELETE /api/workspaces/:workspaceId/contacts/:contactId': 'supervisor',
  'GET /api/workspaces/:workspaceId/contacts/:contactId/export': 'agent',
  'GET /api/workspaces/:workspaceId/contacts/:contactId/history': 'agent',
  'POST /api/workspaces/:workspaceId/contacts/:contactId/notes': 'agent',
  'PATCH /api/workspaces/:workspaceId/contacts/:contactId/notes/:noteId': 'agent',
  'DELETE /api/workspaces/:workspaceId/contacts/:contactId/notes/:noteId': 'agent',
  'GET /api/workspaces/:workspaceId/segments': 'agent',
  'POST /api/workspaces/:workspaceId/segments': 'lead',
  'GET /api/workspaces/:workspaceId/segments/:segmentId': 'agent',
  'PATCH /api/workspaces/:workspaceId/segments/:segmentId': 'lead',
  'DELETE /api/workspaces/:workspaceId/segments/:segmentId': 'lead',
  'GET /api/workspaces/:workspaceId/segments/:segmentId/members/:contactId': 'agent',
  'GET /api/workspaces/:workspaceId/fields': 'agent',
  'POST /api/workspaces/:workspaceId/fields': 'lead',
  'PATCH /api/workspaces/:workspaceId/fields/:fieldId': 'lead',
  'DELETE /api/workspaces/:workspaceId/fields/:fieldId': 'lead',
  'GET /api/workspaces/:workspaceId/tags': 'agent',
  'POST /api/workspaces/:workspaceId/tags': 'lead',
  'PATCH /api/workspaces/:workspaceId/tags/:tagId': 'lead',
  'DELETE /api/workspaces/:workspaceId/tags/:tagId': 'lead',
  'GET /api/workspaces/:workspaceId/sequences': 'agent',
  'GET /api/workspaces/:workspaceId/otn-topics': 'agent',
  'GET /api/workspaces/:workspaceId/layout/:surface': 'agent',
  'PUT /api/workspaces/:workspaceId/layout/:surface': 'agent',
  'DELETE /api/workspaces/:workspaceId/layout/:surface': 'agent',
  'GET /api/workspaces/:workspaceId/conversations': 'agent',
  'GET /api/workspaces/:workspaceId/conversations/:conversationId': 'agent',
  'GET /api/workspaces/:workspaceId/conversations/:conversationId/messages': 'agent',
  'GET /api/workspaces/:workspaceId/settings/webhook': 'admin',
  'PUT /api/workspaces/:workspaceId/settings/webhook': 'admin',
  'GET /api/workspaces/:workspaceId/jobs': 'agent',
  'GET /api/workspaces/:workspaceId/jobs/:jobId': 'agent',
  'GET /api/workspaces/:workspaceId/jobs/:jobId/errors.csv': 'lead',
  'GET /api/workspaces/:workspaceId/jobs/:jobId/download': 'lead',
  'POST /api/workspaces/:workspaceId/jobs/:jobId/cancel': 'lead',
  'POST /api/workspaces/:workspaceId/imports': 'lead',
  'POST /api/workspaces/:workspaceId/imports/:jobId/start': 'lead',
  'POST /api/workspaces/:workspaceId/imports/:jobId/undo': 'lead',
  'POST /api/workspaces/:workspaceId/exports': 'lead',
  // Bulk delete needs supervisor+ (API.md); every lead is one, so the route's minimum covers it.
  'POST /api/workspaces/:workspaceId/bulk': 'lead',
};

const roles: Role[] = ['agent', 'supervisor', 'lead', 'admin'];

let t: TestApp;
beforeAll(async () => {
  t = await setupApp();
});
afterAll(() => t.close());

const workspaceRoutes = () => t.app.routeTable.filter((r) => r.url.startsWith('/api/workspaces/:workspaceId'));

describe('authorization matrix', () => {
  it('has an entry for every workspace route', () => {
    const listed = new Set(Object.keys(minRole));
    const missing = workspaceRoutes().map((r) => `${r.method} ${r.url}`).filter((k) => !listed.has(k));
    expect(missing).toEqual([]);
  });

  it('gives 403 below the minimum role, lets the minimum role through, and 404s strangers', async () => {
    const { workspace, members } = await newTeam(t.db);
    const other = await newTeam(t.db);
    const cookies = Object.fromEntries(await Promise.all(roles.map(async (r) => [r, await login(t.app, members[r].email)] as const))) as Record<Role, string>;
    const stranger = await login(t.app, other.members.admin.email);

    // Fresh resources per request, so destructive routes never hit an already-deleted id.
    const params = async (): Promise<Record<string, string>> => {
      const contact = await newContact(t.db, { workspaceId: workspace.id });
      const field = await newField(t.db, { workspaceId: workspace.id, key: `f${contact.id}`, type: 'text' });
      const tag = await t.db.tx((tx) => tx.tag.create({ data: { workspaceId: workspace.id, name: `t${contact.id}` } }));
      const segment = await t.db.tx((tx) => tx.segment.create({ data: { workspaceId: workspace.id, name: `s${contact.id}`, filter: { field: 'email', op: 'isSet' } } }));
      const note = await t.db.tx((tx) => tx.note.create({ data: { workspaceId: workspace.id, contactId: contact.id, authorId: members.agent.id, body: 'n' } }));
      const key = await t.db.tx((tx) => tx.apiKey.create({ data: { workspaceId: workspace.id, name: 'k', prefix: 'sb_x', keyHash: `h${contact.id}` } }));
      const colleague = await newAgent(t.db);
      await addMembership(t.db, workspace.id, colleague.id, 'agent');
      await newSequence(t.db, workspace.id, `seq${contact.id}`, [contact.id]);
      await newTopic(t.db, workspace.id, `top${contact.id}`, [contact.id]);
      const conversation = await newConversation(t.db, { workspaceId: workspace.id, contactId: contact.id });
      const job = await newFinishedImport(t, workspace.id);
      return {
        workspaceId: String(workspace.id),
        contactId: String(contact.id),
        fieldId: String(field.id),
        tagId: String(tag.id),
        segmentId: String(segment.id),
        noteId: String(note.id),
        keyId: String(key.id),
        agentId: String(colleague.id),
        conversationId: String(conversation.id),
        jobId: String(job.id),
        surface: 'contacts-table',
      };
    };
    const fill = (url: string, p: Record<string, string>) => url.replace(/:(\w+)/g, (_m, k: string) => p[k] ?? '1');

    let checked = 0;
    for (const route of workspaceRoutes()) {
      const key = `${route.method} ${route.url}`;
      const min = minRole[key]!;
      const send = async (cookie: string, workspaceParam?: string) => {
        const p = await params();
        if (workspaceParam) p.workspaceId = workspaceParam;
        return t.app.inject({ method: route.method as 'GET', url: fill(route.url, p), headers: { cookie }, payload: ['GET', 'DELETE'].includes(route.method) ? undefined : {} });
      };
      for (const role of roles) {
        const res = await send(cookies[role]);
        if (roles.indexOf(role) < roles.indexOf(min)) {
          expect(res.statusCode, `${key} as ${role}`).toBe(403);
        } else {
          expect([401, 403, 404], `${key} as ${role}: ${res.statusCode} ${res.body}`).not.toContain(res.statusCode);
        }
      }
      const foreign = await send(stranger);
      expect(foreign.statusCode, `${key} as another workspace's admin`).toBe(404);
      checked++;
    }
    expect(checked).toBe(Object.keys(minRole).length);
  });
});
