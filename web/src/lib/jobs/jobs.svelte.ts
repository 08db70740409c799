import type { Job } from '@switchboard/shared';
import { jobsApi } from '$lib/api/jobs';
import { ApiError } from '$lib/api/client';
import type { Handlers } from '$lib/realtime';
import { compareJobs, later, upsert } from './order';

export type JobAction = 'cancel' | 'undo';

/** Jobs per page of GET /jobs. */
export const PAGE_SIZE = 50;

/**
 * The jobs of one workspace for the Jobs page: the list from REST on load and after a resync, then
 * every `job:progress` push. Pushes arrive in event order and always win; only a list answer can be
 * older than what was pushed while it was on its way, so it is merged with `later`.
 */
export class JobsManager {
  readonly workspaceId: string;
  /** Every job known, drafts included, newest first. */
  all = $state.raw<Job[]>([]);
  loading = $state(false);
  error = $state<string | null>(null);
  /** The last page was full: older jobs may follow. */
  hasOlder = $state(false);
  loadingOlder = $state(false);
  olderError = $state<string | null>(null);
  /** The action on its way per job, so its button shows it and cannot be pressed twice. */
  busy = $state<Record<string, JobAction | undefined>>({});
  /** Why the last action on a job failed, shown on its row. */
  actionErrors = $state<Record<string, string | undefined>>({});

  /** An uploaded import waiting for its mapping is the wizard's business, not a job to watch yet. */
  readonly items: Job[] = $derived(this.all.filter((j) => j.status !== 'draft'));

  #controller: AbortController | null = null;
  /** Pushes that arrived while the list was loading: the list may predate them. */
  #pushedDuringLoad: Map<string, Job> | null = null;

  constructor(workspaceId: string) {
    this.workspaceId = workspaceId;
  }

  byId(jobId: string | null | undefined): Job | undefined {
    return jobId ? this.all.find((j) => j.id === jobId) : undefined;
  }

  /** The undo job of an import, or the import an undo reverts. */
  related(job: Job): Job | undefined {
    return this.byId(job.relatedJobId);
  }

  async load(): Promise<void> {
    this.#controller?.abort();
    const controller = (this.#controller = new AbortController());
    this.#pushedDuringLoad = new Map();
    this.loading = true;
    this.error = null;
    try {
      const { items } = await jobsApi.list(this.workspaceId, { limit: PAGE_SIZE }, { signal: controller.signal });
      if (controller.signal.aborted) return;
      this.hasOlder = items.length === PAGE_SIZE;
      const pushed = this.#pushedDuringLoad;
      this.all = items.map((j) => (pushed.has(j.id) ? later(j, pushed.get(j.id)!) : j));
      // A job created after the list was read is only known from its push.
      for (const [id, job] of pushed) if (!items.some((j) => j.id === id)) this.all = upsert(this.all, job);
      this.all = [...this.all].sort(compareJobs);
    } catch (e) {
      if (controller.signal.aborted) return;
      this.error = e instanceof ApiError ? e.message : 'Could not load the jobs.';
    } finally {
      if (!controller.signal.aborted) {
        this.loading = false;
        this.#pushedDuringLoad = null;
      }
    }
  }

  /** The next page of older jobs, after the oldest one shown. */
  async loadOlder(): Promise<void> {
    if (this.loading || this.loadingOlder || !this.hasOlder) return;
    const oldest = this.all.reduce<string | null>((min, j) => (min === null || Number(j.id) < Number(min) ? j.id : min), null);
    if (!oldest) return;
    this.loadingOlder = true;
    this.olderError = null;
    try {
      const { items } = await jobsApi.list(this.workspaceId, { before: oldest, limit: PAGE_SIZE });
      this.hasOlder = items.length === PAGE_SIZE;
      let all = this.all;
      for (const job of items) {
        const known = all.find((j) => j.id === job.id);
        all = upsert(all, known ? later(job, known) : job);
      }
      this.all = all;
    } catch (e) {
      this.olderError = e instanceof ApiError ? e.message : 'Could not load older jobs.';
    } finally {
      this.loadingOlder = false;
    }
  }

  /** A `job:progress` push: the job as it is now. */
  pushed(job: Job): void {
    this.#pushedDuringLoad?.set(job.id, job);
    this.all = upsert(this.all, job);
  }

  /**
   * Makes sure a job this tab just started is shown, also when its first push was missed (it was
   * sent before the socket joined, or the socket is down): asks for it unless it is known.
   */
  async ensure(jobId: string): Promise<void> {
    if (this.byId(jobId)) return;
    try {
      this.#merge(await jobsApi.get(this.workspaceId, jobId));
    } catch {
      // Its push or the next load brings it.
    }
  }

  cancel(jobId: string): Promise<boolean> {
    return this.#act(jobId, 'cancel', async () => {
      const job = await jobsApi.cancel(this.workspaceId, jobId);
      if (job) this.#merge(job);
      return null;
    });
  }

  undo(jobId: string): Promise<boolean> {
    return this.#act(jobId, 'undo', () => jobsApi.undo(this.workspaceId, jobId));
  }

  clearError(jobId: string): void {
    this.actionErrors[jobId] = undefined;
  }

  /** What this manager listens to, for `realtime.subscribe`. */
  readonly handlers: Handlers = {
    'job:progress': (job) => this.pushed(job),
    resync: () => void this.load(),
  };

  dispose(): void {
    this.#controller?.abort();
    this.#controller = null;
  }

  /** A job read by REST: pushes may have overtaken it. */
  #merge(job: Job): void {
    const known = this.byId(job.id);
    this.all = upsert(this.all, known ? later(job, known) : job);
  }

  async #act(jobId: string, action: JobAction, call: () => Promise<{ jobId: string } | null>): Promise<boolean> {
    if (this.busy[jobId]) return false;
    this.busy[jobId] = action;
    this.actionErrors[jobId] = undefined;
    try {
      const created = await call();
      // The job's new state comes as a push; an undo also starts a job of its own.
      if (created && created.jobId !== jobId) void this.ensure(created.jobId);
      return true;
    } catch (e) {
      const verb = action === 'cancel' ? 'cancel' : 'undo';
      this.actionErrors[jobId] = e instanceof ApiError ? e.message : `Could not ${verb} the job. Try again.`;
      return false;
    } finally {
      this.busy[jobId] = undefined;
    }
  }
}
