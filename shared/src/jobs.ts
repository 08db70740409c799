import { z } from 'zod';
import { Id, IsoDateTime } from './common.ts';
import { AgentRef } from './conversations.ts';

// Imports, exports and bulk actions are Jobs (API.md "Jobs: import, export, bulk"): one row each,
// progress pushed as `job:progress`, resumable from a checkpoint after a restart.

export const JobKind = z.enum(['import', 'export', 'bulk', 'undo']);
export type JobKind = z.infer<typeof JobKind>;

/**
 * `draft`: an uploaded import waiting for its mapping (nothing written yet). `undone`: an import
 * whose undo job has finished. The others as their names say.
 */
export const JobStatus = z.enum(['draft', 'queued', 'running', 'completed', 'failed', 'cancelled', 'undone']);
export type JobStatus = z.infer<typeof JobStatus>;

export const JobCounts = z.object({
  read: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  rejected: z.number().int(),
});
export type JobCounts = z.infer<typeof JobCounts>;

export const Job = z
  .object({
    id: Id,
    kind: JobKind,
    status: JobStatus,
    counts: JobCounts,
    /** Rows or contacts to process when known (an import knows it only once parsed). */
    total: z.number().int().nullable(),
    /** 0…1. */
    progress: z.number().min(0).max(1),
    /** What the job was asked, in words: "contacts.csv (12.4 MB)", "Add tag vip to 1,204 contacts". */
    title: z.string(),
    author: AgentRef.nullable(),
    createdAt: IsoDateTime,
    startedAt: IsoDateTime.nullable(),
    finishedAt: IsoDateTime.nullable(),
    /** Why it failed, e.g. "line 1,204: unterminated quote". */
    error: z.string().nullable(),
    /** `/jobs/:jobId/errors.csv` has the rejected rows. */
    hasErrors: z.boolean(),
    /** `/jobs/:jobId/download` has the export file. */
    hasDownload: z.boolean(),
    /** A completed import that `/imports/:jobId/undo` can revert. */
    undoable: z.boolean(),
    /** For an undo: the import it reverts. For an import: the undo job, once asked. */
    relatedJobId: Id.nullable(),
    /** Undo only: contacts left as they are because they changed after the import. */
    keptContactIds: z.array(Id).optional(),
  })
  .meta({ id: 'Job' });
export type Job = z.infer<typeof Job>;

export const JobList = z.object({ items: z.array(Job) }).meta({ id: 'JobList' });
export type JobList = z.infer<typeof JobList>;

export const JobParams = z.object({ workspaceId: Id, jobId: Id });

// ---- Import ----

export const ProfileTarget = z.enum(['firstName', 'lastName', 'phone', 'email', 'gender', 'language', 'timezone', 'country', 'tags']);
/** A column's destination: a profile field, `tags`, `custom.<key>` or `ignore`. */
export const MappingTarget = z.union([
  ProfileTarget,
  z.literal('ignore'),
  z.string().regex(/^custom\.[a-z][a-z0-9_]{0,63}$/, 'must be a profile field, tags, custom.<key> or ignore'),
]);
export type MappingTarget = z.infer<typeof MappingTarget>;

export const ImportUpload = z
  .object({
    jobId: Id,
    /** Header cells in file order. */
    columns: z.array(z.string()),
    /** Column → target, guessed from the header names and the workspace's fields. */
    suggestedMapping: z.record(z.string(), MappingTarget),
    /** The first rows (up to 20) as raw cells, in `columns` order. */
    preview: z.array(z.array(z.string())),
  })
  .meta({ id: 'ImportUpload' });
export type ImportUpload = z.infer<typeof ImportUpload>;

export const OnExisting = z.enum(['skip', 'update', 'fillEmpty']);
export type OnExisting = z.infer<typeof OnExisting>;

/** An unmapped column turned into a new custom field when the import starts. */
export const NewFieldFromColumn = z.object({
  column: z.string(),
  key: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be lowercase letters, digits and _ , starting with a letter'),
  label: z.string().trim().min(1).max(100),
  type: z.enum(['text', 'number', 'boolean', 'date', 'datetime']),
});

export const StartImportBody = z.object({
  mapping: z.record(z.string(), MappingTarget),
  channel: z.enum(['sms', 'voice']),
  /** ISO 3166 alpha-2, for phone numbers written without a country code. */
  defaultCountry: z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter country code'),
  onExisting: OnExisting,
  dryRun: z.boolean().optional(),
  createFields: z.array(NewFieldFromColumn).max(50).optional(),
});
export type StartImportBody = z.input<typeof StartImportBody>;

export const DryRunRow = z.object({
  /** 1-based line of the row in the file (the header is line 1). */
  line: z.number().int(),
  action: z.enum(['create', 'update', 'skip', 'reject']),
  /** Why it would be rejected, each naming its column. */
  errors: z.array(z.object({ column: z.string(), message: z.string() })),
  /** The normalised values it would write (phone in E.164, tags split…). */
  values: z.record(z.string(), z.unknown()),
});
export const DryRunResult = z.object({ rows: z.array(DryRunRow) }).meta({ id: 'ImportDryRun' });
export type DryRunResult = z.infer<typeof DryRunResult>;

// ---- Export and bulk ----

/** Which contacts: exactly one of a filter tree, a saved segment or listed ids. */
const Selection = {
  filter: z.unknown().optional(),
  segmentId: Id.optional(),
  contactIds: z.array(Id).min(1).max(10_000).optional(),
};

export const ExportBody = z.object({
  ...Selection,
  /** Field keys as the contacts table names them (`name`, `email`, `custom.plan`…); default: the caller's visible columns. */
  columns: z.array(z.string()).min(1).max(200).optional(),
});
export type ExportBody = z.input<typeof ExportBody>;

export const BulkAction = z.discriminatedUnion('op', [
  z.object({ op: z.literal('addTag'), tag: z.string().trim().min(1).max(100) }),
  z.object({ op: z.literal('removeTag'), tag: z.string().trim().min(1).max(100) }),
  z.object({ op: z.literal('setField'), field: z.string(), value: z.unknown() }),
  z.object({ op: z.literal('clearField'), field: z.string() }),
  z.object({ op: z.literal('removeSequence'), sequence: z.string().trim().min(1) }),
  z.object({ op: z.literal('delete') }),
]);
export type BulkAction = z.infer<typeof BulkAction>;

export const BulkBody = z.object({ ...Selection, action: BulkAction });
export type BulkBody = z.input<typeof BulkBody>;

export const JobCreated = z.object({ jobId: Id }).meta({ id: 'JobCreated' });
export type JobCreated = z.infer<typeof JobCreated>;
