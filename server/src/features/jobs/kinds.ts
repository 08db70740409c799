import type { JobKind } from '@switchboard/shared';
import type { JobHandler } from './types.ts';

/** The handler of each job kind; the runner looks a job's kind up here. */
export const jobHandlers: Partial<Record<JobKind, JobHandler>> = {};
