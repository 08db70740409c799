import type { Job } from '@switchboard/shared';
import type { Handlers } from '$lib/realtime';
import { finished } from '$lib/jobs/order';

export interface StartedJob {
  jobId: string;
  /** What was asked, in the page's words: "Export of 12 contacts". */
  what: string;
  /** The job as last pushed; null until its first push. */
  job: Job | null;
}

/**
 * The jobs started from the contacts page, followed through `job:progress` so the page can say
 * how they are doing, link to them, and reload its rows once a bulk action changed them.
 */
export class StartedJobs {
  items = $state.raw<StartedJob[]>([]);
  readonly #onFinished: (job: Job) => void;
  /**
   * The last push of recent jobs, started here or not: a quick job can finish, and say so, before
   * the answer naming its id has come back.
   */
  #seen = new Map<string, Job>();

  constructor(onFinished: (job: Job) => void) {
    this.#onFinished = onFinished;
  }

  add(jobId: string, what: string): void {
    const job = this.#seen.get(jobId) ?? null;
    // The newest first; a handful is plenty for a notice strip.
    this.items = [{ jobId, what, job }, ...this.items.filter((s) => s.jobId !== jobId)].slice(0, 3);
    if (job && finished(job.status)) this.#onFinished(job);
  }

  dismiss(jobId: string): void {
    this.items = this.items.filter((s) => s.jobId !== jobId);
  }

  progressed(job: Job): void {
    this.#seen.delete(job.id);
    this.#seen.set(job.id, job);
    if (this.#seen.size > 50) this.#seen.delete(this.#seen.keys().next().value!);
    const index = this.items.findIndex((s) => s.jobId === job.id);
    if (index < 0) return;
    const before = this.items[index]!.job;
    const items = [...this.items];
    items[index] = { ...items[index]!, job };
    this.items = items;
    if (finished(job.status) && !(before && finished(before.status))) this.#onFinished(job);
  }

  readonly handlers: Handlers = {
    'job:progress': (job) => this.progressed(job),
  };
}
