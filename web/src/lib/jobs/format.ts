import type { Job, JobKind, JobStatus } from '@switchboard/shared';

export const kindLabels: Record<JobKind, string> = {
  import: 'Import',
  export: 'Export',
  bulk: 'Bulk action',
  undo: 'Undo import',
};

export const statusLabels: Record<JobStatus, string> = {
  draft: 'Waiting for mapping',
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  undone: 'Undone',
};

const integer = new Intl.NumberFormat('en-US');
export const formatCount = (n: number) => integer.format(n);

/** Whole percent, never 100 before the job is done (a bar at 100 % that is still running reads as stuck). */
export function percent(job: Pick<Job, 'progress' | 'status'>): number {
  const value = Math.round(Math.min(Math.max(job.progress, 0), 1) * 100);
  if (value === 100 && job.status !== 'completed' && job.status !== 'undone') return 99;
  return value;
}

/** Running time so far (started, not finished) or in total; null before it starts. */
export function jobDuration(job: Pick<Job, 'startedAt' | 'finishedAt'>, now: number): number | null {
  if (!job.startedAt) return null;
  const start = Date.parse(job.startedAt);
  const end = job.finishedAt ? Date.parse(job.finishedAt) : now;
  return Math.max(0, end - start);
}

/** "0.4 s", "12 s", "3 min 4 s", "2 h 5 min". */
export function formatDuration(ms: number): string {
  if (ms < 100) return '< 0.1 s';
  if (ms < 1000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const formatWhen = (iso: string) => when.format(Date.parse(iso));

export const countKeys = ['read', 'created', 'updated', 'skipped', 'rejected'] as const;

/**
 * The counts worth showing: all five for an import (a zero "rejected" is news there), else "read"
 * and whatever moved — an export creates nothing, so "created 0" would be noise.
 */
export function countsShown(job: Pick<Job, 'kind' | 'counts'>): (typeof countKeys)[number][] {
  if (job.kind === 'import') return [...countKeys];
  return countKeys.filter((key) => key === 'read' || job.counts[key] > 0);
}
