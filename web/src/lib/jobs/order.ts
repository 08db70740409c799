import type { Job, JobStatus } from '@switchboard/shared';

/** How far along a job's life a status is; a job only moves forward (a completed import may become undone). */
const stage: Record<JobStatus, number> = {
  draft: 0,
  queued: 1,
  running: 2,
  completed: 3,
  failed: 3,
  cancelled: 3,
  undone: 4,
};

export const finished = (status: JobStatus) => stage[status] >= 3;
export const active = (status: JobStatus) => status === 'queued' || status === 'running';

/** `a` is a later state of the same job than `b`. Equal states are not "later". */
export function isAhead(a: Job, b: Job): boolean {
  if (stage[a.status] !== stage[b.status]) return stage[a.status] > stage[b.status];
  if (a.progress !== b.progress) return a.progress > b.progress;
  if (a.counts.read !== b.counts.read) return a.counts.read > b.counts.read;
  // An undo asked for sets the import's relatedJobId; nothing clears it again.
  return a.relatedJobId !== null && b.relatedJobId === null;
}

/**
 * Which of two versions of one job to show when they come from different sources (a list fetched
 * while pushes arrived): the later one, and the incoming one when neither is ahead.
 */
export function later(current: Job, incoming: Job): Job {
  return isAhead(current, incoming) ? current : incoming;
}

/** Newest first; ids break ties of jobs created in the same millisecond (larger id = created later). */
export function compareJobs(a: Job, b: Job): number {
  const byTime = Date.parse(b.createdAt) - Date.parse(a.createdAt);
  if (byTime !== 0) return byTime;
  return b.id.length - a.id.length || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0);
}

/** `jobs` with `job` put in (replacing its older version), ordered. */
export function upsert(jobs: readonly Job[], job: Job): Job[] {
  const rest = jobs.filter((j) => j.id !== job.id);
  rest.push(job);
  return rest.sort(compareJobs);
}
