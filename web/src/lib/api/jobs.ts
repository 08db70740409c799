import {
  DryRunResult,
  ImportUpload,
  Job,
  JobCreated,
  JobList,
  type BulkBody,
  type ExportBody,
  type StartImportBody,
} from '@switchboard/shared';
import { ApiError, errorFromResponse, request, type RequestOptions, type Schema } from './client';

// Typed calls of API.md "Jobs: import, export, bulk". The upload goes through XMLHttpRequest because
// fetch cannot report upload progress, and a CSV can be hundreds of megabytes.

type Pass = Pick<RequestOptions, 'signal' | 'fetch'>;

const ws = (workspaceId: string) => `/api/workspaces/${encodeURIComponent(workspaceId)}`;
const jobPath = (workspaceId: string, jobId: string) => `${ws(workspaceId)}/jobs/${encodeURIComponent(jobId)}`;

/** A 202 may or may not name the job it queued; the Jobs page learns the rest from `job:progress`. */
const maybeCreated: Schema<{ jobId: string } | null> = {
  safeParse(data: unknown) {
    const parsed = JobCreated.safeParse(data);
    return { success: true, data: parsed.success ? parsed.data : null };
  },
};

const maybeJob: Schema<Job | null> = {
  safeParse(data: unknown) {
    const parsed = Job.safeParse(data);
    return { success: true, data: parsed.success ? parsed.data : null };
  },
};

export interface UploadProgress {
  loaded: number;
  /** Bytes to send; null when the browser cannot tell. */
  total: number | null;
}

export interface UploadOptions {
  onProgress?: (progress: UploadProgress) => void;
  /** Every byte is sent; the server is reading the header and the first rows. */
  onSent?: () => void;
  signal?: AbortSignal;
}

export const jobsApi = {
  /** Newest first, a page at a time: `before` is the last id of the previous page. */
  list: (workspaceId: string, page: { before?: string; limit?: number } = {}, options: Pass = {}) => {
    const params = new URLSearchParams();
    if (page.before) params.set('before', page.before);
    if (page.limit) params.set('limit', String(page.limit));
    const query = params.toString();
    return request(`${ws(workspaceId)}/jobs${query ? `?${query}` : ''}`, { ...options, schema: JobList });
  },
  get: (workspaceId: string, jobId: string, options: Pass = {}) => request(jobPath(workspaceId, jobId), { ...options, schema: Job }),
  /** Answers the job as it is now (cancelled, or still finishing its batch). */
  cancel: (workspaceId: string, jobId: string) => request(`${jobPath(workspaceId, jobId)}/cancel`, { method: 'POST', schema: maybeJob }),

  /** The rejected rows: the original columns plus `error`. A plain `<a download>` works: the session is a cookie. */
  errorsUrl: (workspaceId: string, jobId: string) => `${jobPath(workspaceId, jobId)}/errors.csv`,
  /** The export file. */
  downloadUrl: (workspaceId: string, jobId: string) => `${jobPath(workspaceId, jobId)}/download`,

  upload: (workspaceId: string, file: File, options: UploadOptions = {}) => uploadImport(`${ws(workspaceId)}/imports`, file, options),

  /** The first rows with their per-row result; nothing is written. */
  dryRun: (workspaceId: string, jobId: string, body: StartImportBody) =>
    request(`${ws(workspaceId)}/imports/${encodeURIComponent(jobId)}/start`, { method: 'POST', body: { ...body, dryRun: true }, schema: DryRunResult }),
  start: (workspaceId: string, jobId: string, body: StartImportBody) =>
    request(`${ws(workspaceId)}/imports/${encodeURIComponent(jobId)}/start`, {
      method: 'POST',
      body: { ...body, dryRun: false },
      schema: maybeCreated,
    }),
  undo: (workspaceId: string, jobId: string) =>
    request(`${ws(workspaceId)}/imports/${encodeURIComponent(jobId)}/undo`, { method: 'POST', schema: maybeCreated }),

  export: (workspaceId: string, body: ExportBody) => request(`${ws(workspaceId)}/exports`, { method: 'POST', body, schema: JobCreated }),
  bulk: (workspaceId: string, body: BulkBody) => request(`${ws(workspaceId)}/bulk`, { method: 'POST', body, schema: JobCreated }),
};

/** POSTs one multipart `file`, reporting bytes sent; rejects with the API's error like `request` does. */
export function uploadImport(url: string, file: File, { onProgress, onSent, signal }: UploadOptions = {}): Promise<ImportUpload> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new DOMException('Upload cancelled', 'AbortError'));
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => onProgress?.({ loaded: event.loaded, total: event.lengthComputable ? event.total : null });
    xhr.upload.onload = () => onSent?.();
    const abort = () => xhr.abort();
    signal?.addEventListener('abort', abort, { once: true });
    const done = () => signal?.removeEventListener('abort', abort);
    xhr.onabort = () => {
      done();
      reject(new DOMException('Upload cancelled', 'AbortError'));
    };
    xhr.onerror = () => {
      done();
      reject(new ApiError({ status: 0, code: 'unavailable', message: "Can't reach the server. Check your connection and try again." }));
    };
    xhr.onload = () => {
      done();
      const data = parseJson(xhr.responseText);
      if (xhr.status < 200 || xhr.status >= 300) return reject(errorFromResponse(xhr.status, data));
      const parsed = ImportUpload.safeParse(data);
      if (parsed.success) resolve(parsed.data);
      else
        reject(
          new ApiError({
            status: xhr.status,
            code: 'internal',
            message: 'The server sent an answer this version of the console does not understand. Reload the page.',
          }),
        );
    };
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
