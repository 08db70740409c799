import { createHash, randomBytes } from 'node:crypto';
import type { ApiKey } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { notFound } from '../../lib/errors.ts';
import { idOut, isoOrNull, isoOut } from '../../lib/wire.ts';
import { recordAudit, type Actor } from '../audit/service.ts';

// Keys carry 256 random bits, so a plain SHA-256 is enough to store them safely (a slow hash
// is for low-entropy passwords) and lets each inbound request be checked with one index lookup.
export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

type Row = { id: number; name: string; prefix: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };
const toApiKey = (k: Row): ApiKey => ({
  id: idOut(k.id),
  name: k.name,
  prefix: k.prefix,
  createdAt: isoOut(k.createdAt),
  lastUsedAt: isoOrNull(k.lastUsedAt),
  revokedAt: isoOrNull(k.revokedAt),
});

export async function listApiKeys(db: Db, workspaceId: number): Promise<ApiKey[]> {
  const rows = await db.prisma.apiKey.findMany({ where: { workspaceId }, orderBy: { id: 'desc' } });
  return rows.map(toApiKey);
}

export async function createApiKey(db: Db, workspaceId: number, actor: Actor & { kind: 'agent' }, name: string) {
  const key = `sb_${randomBytes(32).toString('base64url')}`;
  const prefix = key.slice(0, 10);
  const row = await db.tx(async (tx) => {
    const created = await tx.apiKey.create({
      data: { workspaceId, name, prefix, keyHash: hashApiKey(key), createdById: actor.id },
    });
    await recordAudit(tx, { workspaceId, actor, action: 'api_key.created', changes: { id: created.id, name, prefix } });
    return created;
  });
  return { id: idOut(row.id), key, name, prefix };
}

export async function revokeApiKey(db: Db, workspaceId: number, actor: Actor, keyId: number): Promise<ApiKey> {
  return db.tx(async (tx) => {
    const k = await tx.apiKey.findFirst({ where: { id: keyId, workspaceId } });
    if (!k) throw notFound('API key');
    const updated = k.revokedAt ? k : await tx.apiKey.update({ where: { id: k.id }, data: { revokedAt: new Date() } });
    if (!k.revokedAt) await recordAudit(tx, { workspaceId, actor, action: 'api_key.revoked', changes: { id: k.id } });
    return toApiKey(updated);
  });
}
