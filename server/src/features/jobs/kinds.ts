import type { JobKind } from '@switchboard/shared';
import type { JobHandler } from './types.ts';
import { bulkJob } from '../bulk/job.ts';
import { exportJob } from '../exports/job.ts';
import { importJob } from '../imports/job.ts';
import { undoJob } from '../imports/undo.ts';

/** The handler of each job kind; the runner looks a job's kind up here. */
export const jobHandlers: Partial<Record<JobKind, JobHandler>> = {
  export: exportJob,
  bulk: bulkJob,
  import: importJob,
  undo: undoJob,
};
