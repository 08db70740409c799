import type { Job } from '@switchboard/shared';

/** A job as the API sends it, with what a test cares about overridden. */
export function job(id: string, over: Partial<Job> = {}): Job {
  return {
    id,
    kind: 'import',
    status: 'running',
    counts: { read: 0, created: 0, updated: 0, skipped: 0, rejected: 0 },
    total: null,
    progress: 0,
    title: `contacts-${id}.csv`,
    author: { id: '2', name: 'Lee Lead' },
    createdAt: '2026-11-28T10:00:00.000Z',
    startedAt: '2026-11-28T10:00:01.000Z',
    finishedAt: null,
    error: null,
    hasErrors: false,
    hasDownload: false,
    undoable: false,
    relatedJobId: null,
    ...over,
  };
}
