import type { FieldCatalogue, FieldType } from '@switchboard/shared';
import type { Sql } from '../../db/sql.ts';

export interface FieldDef {
  id: number;
  key: string;
  label: string;
  type: FieldType;
  options: string[] | undefined;
  position: number;
}

export interface Catalogue {
  byKey: Map<string, FieldDef>;
  byId: Map<number, FieldDef>;
  /** The shape the shared filter validator wants. */
  filter: FieldCatalogue;
  /** The shape the SQL filter compiler wants. */
  compile: Record<string, { id: number; type: FieldType }>;
}

/** The workspace's custom field definitions, loaded once per request that needs them. */
export async function loadCatalogue(sql: Sql, workspaceId: number): Promise<Catalogue> {
  const rows = await sql.all<{ id: number; key: string; label: string; type: FieldType; options: string | null; position: number }>(
    'SELECT id, key, label, type, options, position FROM CustomField WHERE workspaceId = ? ORDER BY position, id',
    [workspaceId],
  );
  const defs = rows.map((r) => ({ ...r, options: r.options ? (JSON.parse(r.options) as string[]) : undefined }));
  return {
    byKey: new Map(defs.map((d) => [d.key, d])),
    byId: new Map(defs.map((d) => [d.id, d])),
    filter: { custom: Object.fromEntries(defs.map((d) => [d.key, { type: d.type, options: d.options }])) },
    compile: Object.fromEntries(defs.map((d) => [d.key, { id: d.id, type: d.type }])),
  };
}
