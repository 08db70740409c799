import { fold, type BulkAction, type ContactOp } from '@switchboard/shared';
import type { Sql } from '../../db/sql.ts';
import { validation } from '../../lib/errors.ts';
import type { Catalogue, FieldDef } from '../catalogue/service.ts';
import { storeValue } from '../contacts/values.ts';

/** A bulk action as the PATCH op it applies to each contact (contacts/patch.ts applyOp), or delete. */
export type ContactAction = { op: 'delete' } | ContactOp;

const bad = (path: string, message: string) => validation([{ path: `action.${path}`, message }]);

function fieldOf(catalogue: Catalogue, field: string): FieldDef {
  // `custom.plan` as the contacts table names columns, or the bare key.
  const key = field.startsWith('custom.') ? field.slice('custom.'.length) : field;
  const def = catalogue.byKey.get(key);
  if (!def) throw bad('field', `no custom field "${field}" in this workspace`);
  return def;
}

/**
 * Checks the action against the workspace before anything runs (the route answers 400 naming
 * `action.<field>`; the job checks again when it starts) and turns it into the op applied per
 * contact. `addTag` creates a missing tag, as adding a tag in the side panel does; `removeTag`
 * and `removeSequence` of something that does not exist are refused as likely typos. A
 * sequence is named by its id or its name.
 */
export async function resolveAction(sql: Sql, workspaceId: number, action: BulkAction, catalogue: Catalogue): Promise<ContactAction> {
  switch (action.op) {
    case 'addTag':
      return action;
    case 'removeTag': {
      const exists = await sql.get('SELECT 1 FROM Tag WHERE workspaceId = ? AND sb_fold(name) = ?', [workspaceId, fold(action.tag)]);
      if (!exists) throw bad('tag', `no tag "${action.tag}" in this workspace`);
      return action;
    }
    case 'setField': {
      const def = fieldOf(catalogue, action.field);
      const stored = storeValue(def, action.value);
      if ('error' in stored) throw bad('value', `${def.label}: ${stored.error}`);
      return { op: 'setField', key: def.key, value: action.value };
    }
    case 'clearField':
      return { op: 'clearField', key: fieldOf(catalogue, action.field).key };
    case 'removeSequence': {
      // Ids are 32-bit integers (PostgreSQL refuses a larger parameter for one): a longer number is a name.
      const byId = /^[1-9]\d{0,15}$/.test(action.sequence) && Number(action.sequence) <= 2 ** 31 - 1 ? Number(action.sequence) : -1;
      // The id match first: a sequence may be named like another's id.
      const id = await sql.value<number>(
        'SELECT id FROM Sequence WHERE workspaceId = ? AND (id = ? OR sb_fold(name) = ?) ORDER BY CASE WHEN id = ? THEN 0 ELSE 1 END LIMIT 1',
        [workspaceId, byId, fold(action.sequence), byId],
      );
      if (id === undefined) throw bad('sequence', `no sequence "${action.sequence}" in this workspace`);
      return { op: 'removeSequence', sequenceId: String(id) };
    }
    case 'delete':
      return action;
  }
}

/** "Add tag vip", "Set plan", "Delete": the start of the job's title. */
export function describeAction(action: BulkAction): string {
  switch (action.op) {
    case 'addTag':
      return `Add tag ${action.tag} to`;
    case 'removeTag':
      return `Remove tag ${action.tag} from`;
    case 'setField':
      return `Set ${action.field} on`;
    case 'clearField':
      return `Clear ${action.field} on`;
    case 'removeSequence':
      return `Remove sequence ${action.sequence} from`;
    case 'delete':
      return 'Delete';
  }
}
