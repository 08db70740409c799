import type { FieldType, OnExisting } from '@switchboard/shared';
import type { StartImportBody } from '@switchboard/shared';
import type { z } from 'zod';
import { conflict, validation } from '../../lib/errors.ts';
import type { Catalogue } from '../catalogue/service.ts';

export type ProfileColumn = 'firstName' | 'lastName' | 'email' | 'gender' | 'language' | 'timezone' | 'country';

export interface FieldSpec {
  /** The CustomField id; negative for a field the dry run pretends `createFields` made. */
  id: number;
  key: string;
  label: string;
  type: FieldType;
  options?: string[];
}

/** A validated mapping by column index: what the row validator and the writer work from. Plain data (sent to the worker). */
export interface ImportPlan {
  columns: string[];
  phone: number;
  profile: { index: number; field: ProfileColumn }[];
  tags: number[];
  fields: { index: number; field: FieldSpec }[];
  channel: 'sms' | 'voice';
  defaultCountry: string;
  onExisting: OnExisting;
}

export type StartBody = z.output<typeof StartImportBody>;
type Issue = { path: string; message: string };

/** The column's target in the request, own keys only: a column named "toString" is not mapped to Object's. */
const mappedTarget = (mapping: Record<string, string>, column: string): string | undefined => (Object.hasOwn(mapping, column) ? mapping[column] : undefined);

/**
 * Checks a start request against the file's columns and the workspace's fields, naming the bad
 * column in every issue. `createFields` columns map to their new field; in the plan those fields
 * get `fieldIds` (real after creation, negative placeholders for a dry run).
 */
export function buildPlan(columns: string[], catalogue: Catalogue, body: StartBody, fieldIds: Map<string, number> = new Map()): ImportPlan {
  const issues: Issue[] = [];
  const index = new Map(columns.map((c, i) => [c, i]));
  const mapping: Record<string, string> = { ...body.mapping };

  const creating = new Map<string, { key: string; label: string; type: FieldType }>();
  (body.createFields ?? []).forEach((f, i) => {
    const at = `createFields[${i}]`;
    if (!index.has(f.column)) return issues.push({ path: `${at}.column`, message: `no column named "${f.column}" in the file` });
    if (catalogue.byKey.has(f.key)) throw conflict(`A custom field with key "${f.key}" already exists; map the column to custom.${f.key} instead`, { path: `${at}.key` });
    if (creating.has(f.key)) return issues.push({ path: `${at}.key`, message: `custom.${f.key} is created twice` });
    const mapped = mappedTarget(mapping, f.column);
    if (mapped !== undefined && mapped !== 'ignore' && mapped !== `custom.${f.key}`) {
      return issues.push({ path: `${at}.column`, message: `column "${f.column}" is already mapped to ${mapped}` });
    }
    mapping[f.column] = `custom.${f.key}`;
    creating.set(f.key, f);
  });

  const plan: ImportPlan = { columns, phone: -1, profile: [], tags: [], fields: [], channel: body.channel, defaultCountry: body.defaultCountry, onExisting: body.onExisting };
  const usedBy = new Map<string, string>();
  for (const [column, target] of Object.entries(mapping)) {
    const path = `mapping.${column}`;
    const i = index.get(column);
    if (i === undefined) {
      issues.push({ path, message: `no column named "${column}" in the file (its columns: ${columns.map((c) => `"${c}"`).join(', ')})` });
      continue;
    }
    if (target === 'ignore') continue;
    if (target !== 'tags') {
      const other = usedBy.get(target);
      if (other !== undefined) {
        issues.push({ path, message: `${target} is already mapped from column "${other}"` });
        continue;
      }
      usedBy.set(target, column);
    }
    if (target === 'phone') plan.phone = i;
    else if (target === 'tags') plan.tags.push(i);
    else if (target.startsWith('custom.')) {
      const key = target.slice('custom.'.length);
      const def = catalogue.byKey.get(key);
      const made = creating.get(key);
      if (def) plan.fields.push({ index: i, field: { id: def.id, key: def.key, label: def.label, type: def.type, options: def.options } });
      else if (made) plan.fields.push({ index: i, field: { id: fieldIds.get(key) ?? -(plan.fields.length + 1), key, label: made.label, type: made.type } });
      else issues.push({ path, message: `no custom field "${key}" in this workspace (create it, or list it in createFields)` });
    } else plan.profile.push({ index: i, field: target as ProfileColumn });
  }
  if (plan.phone === -1 && !Object.values(mapping).includes('phone')) {
    issues.push({ path: 'mapping', message: 'map one column to phone: SMS and voice contacts are identified by their number' });
  }
  if (issues.length) throw validation(issues);
  return plan;
}
