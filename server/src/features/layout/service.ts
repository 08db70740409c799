import { layoutSystemKeys, type Layout, type LayoutSurface } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import type { Sql } from '../../db/sql.ts';
import { validation } from '../../lib/errors.ts';
import { recordAudit, type Actor } from '../audit/service.ts';
import { loadCatalogue } from '../catalogue/service.ts';

type LayoutFields = Layout['fields'];

const builtInVisible: Record<LayoutSurface, readonly string[]> = {
  'contacts-table': ['avatar', 'name', 'channel', 'email', 'phone', 'country', 'tags', 'lastInteractionAt'],
  'side-panel': ['name', 'gender', 'language', 'timezone', 'email', 'phone', 'country', 'channel', 'channelUserId', 'subscribedAt', 'lastInteractionAt'],
};

async function allKeys(sql: Sql, workspaceId: number): Promise<string[]> {
  return [...layoutSystemKeys, ...[...(await loadCatalogue(sql, workspaceId)).byKey.keys()].map((k) => `custom.${k}`)];
}

/**
 * A stored layout brought up to date with the workspace's fields: keys of deleted custom fields
 * drop out, fields created since are appended (shown in the side panel, hidden in the table).
 */
function complete(surface: LayoutSurface, stored: LayoutFields, keys: string[]): LayoutFields {
  const known = new Set(keys);
  const out = stored.filter((f) => known.has(f.key));
  const present = new Set(out.map((f) => f.key));
  for (const key of keys) {
    if (!present.has(key)) out.push({ key, visible: surface === 'side-panel' && key.startsWith('custom.') });
  }
  return out;
}

function builtIn(surface: LayoutSurface, keys: string[]): LayoutFields {
  const visible = builtInVisible[surface];
  const ordered = [...visible, ...keys.filter((k) => !visible.includes(k))];
  return complete(surface, ordered.map((key) => ({ key, visible: visible.includes(key) })), keys);
}

async function stored(db: Db, workspaceId: number, agentId: number | null, surface: LayoutSurface) {
  const row = await db.prisma.layoutPreference.findFirst({ where: { workspaceId, agentId, surface } });
  return row ? (row.fields as LayoutFields) : null;
}

/** scope 'agent' (default): the caller's override, else the workspace default, else built-in. */
export async function getLayout(db: Db, workspaceId: number, agentId: number, surface: LayoutSurface, scope: 'agent' | 'workspace' = 'agent'): Promise<Layout> {
  const keys = await allKeys(db.sql, workspaceId);
  const own = scope === 'agent' ? await stored(db, workspaceId, agentId, surface) : null;
  if (own) return { fields: complete(surface, own, keys), scope: 'agent' };
  const shared = await stored(db, workspaceId, null, surface);
  if (shared) return { fields: complete(surface, shared, keys), scope: 'workspace' };
  return { fields: builtIn(surface, keys), scope: 'default' };
}

export async function putLayout(db: Db, workspaceId: number, actor: Actor & { kind: 'agent' }, surface: LayoutSurface, scope: 'agent' | 'workspace', fields: LayoutFields): Promise<Layout> {
  const known = new Set(await allKeys(db.sql, workspaceId));
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    if (!known.has(f.key)) throw validation([{ path: `fields[${i}].key`, message: `unknown field "${f.key}"` }]);
    if (seen.has(f.key)) throw validation([{ path: `fields[${i}].key`, message: `"${f.key}" is listed twice` }]);
    seen.add(f.key);
  });
  const agentId = scope === 'workspace' ? null : actor.id;
  await db.tx(async (tx) => {
    // Not an upsert: SQLite treats NULL agentIds as distinct in the unique index.
    const existing = await tx.layoutPreference.findFirst({ where: { workspaceId, agentId, surface } });
    if (existing) await tx.layoutPreference.update({ where: { id: existing.id }, data: { fields } });
    else await tx.layoutPreference.create({ data: { workspaceId, agentId, surface, fields } });
    await recordAudit(tx, { workspaceId, actor, action: 'layout.saved', changes: { surface, scope, fields } });
  });
  return getLayout(db, workspaceId, actor.id, surface, scope);
}

/** Removes the caller's override; the workspace default (or built-in) applies again. */
export async function resetLayout(db: Db, workspaceId: number, actor: Actor & { kind: 'agent' }, surface: LayoutSurface): Promise<Layout> {
  await db.tx(async (tx) => {
    const { count } = await tx.layoutPreference.deleteMany({ where: { workspaceId, agentId: actor.id, surface } });
    if (count) await recordAudit(tx, { workspaceId, actor, action: 'layout.reset', changes: { surface } });
  });
  return getLayout(db, workspaceId, actor.id, surface);
}
