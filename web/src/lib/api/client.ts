import { goto } from '$app/navigation';
import { ApiErrorBody, errorStatus, formatPath, type ErrorCode } from '@switchboard/shared';
import { loginHref } from '$lib/session/next';

/** An error answer of the API (`{ code, message, details }`), or a failure to reach it (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(init: { status: number; code: ErrorCode; message: string; details?: unknown }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
  }
}

/**
 * What the client needs of a zod schema from `@switchboard/shared`. Typing it structurally keeps
 * zod a dependency of shared only, while `T` is still inferred from the schema.
 */
export interface Schema<T> {
  safeParse(data: unknown):
    | { success: true; data: T }
    | { success: false; error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } };
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** The `fetch` of a SvelteKit `load`, so `invalidate()` knows what the load depends on. */
  fetch?: typeof fetch;
  /** Off for calls where 401 is an answer, not an expired session (login, the first `/me`). */
  redirectOn401?: boolean;
}

export function request<T>(path: string, options: RequestOptions & { schema: Schema<T> }): Promise<T>;
export function request(path: string, options?: RequestOptions): Promise<void>;
export async function request<T>(
  path: string,
  options: RequestOptions & { schema?: Schema<T> } = {},
): Promise<T | void> {
  const { method = 'GET', body, signal, schema, redirectOn401 = true, fetch: fetcher = fetch } = options;
  let response: Response;
  try {
    response = await fetcher(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ApiError({ status: 0, code: 'unavailable', message: "Can't reach the server. Check your connection and try again." });
  }

  const data = await readJson(response);
  if (!response.ok) {
    const error = errorFromResponse(response.status, data);
    if (response.status === 401 && redirectOn401) toLogin();
    throw error;
  }
  if (!schema) return;

  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    // The server and this build disagree on the contract (e.g. a stale tab after a deploy).
    throw new ApiError({
      status: response.status,
      code: 'internal',
      message: 'The server sent an answer this version of the console does not understand. Reload the page.',
      details: parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
    });
  }
  return parsed.data;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Builds the ApiError of a failed response, also when a proxy answered with something else than JSON. */
export function errorFromResponse(status: number, data: unknown): ApiError {
  const body = ApiErrorBody.safeParse(data);
  if (body.success) return new ApiError({ status, ...body.data });
  return new ApiError({ status, code: codeForStatus(status), message: `The server answered ${status}. Try again in a moment.` });
}

function codeForStatus(status: number): ErrorCode {
  const known = (Object.keys(errorStatus) as ErrorCode[]).find((code) => errorStatus[code] === status);
  // Unknown 5xx come from a gateway in front of the server (502, 504): the server is unavailable.
  return known ?? (status >= 500 ? 'unavailable' : 'validation');
}

function toLogin(): void {
  if (location.pathname === '/login') return;
  void goto(loginHref(location.pathname + location.search), { replaceState: true });
}
