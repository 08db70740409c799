import { z } from 'zod';

/** The error codes of the API and of socket acks, with their HTTP status. */
export const errorStatus = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  validation: 400,
  conflict: 409,
  payload_too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  /** The server's disk (DATA_DIR) is full: nothing of the request was saved. */
  insufficient_storage: 507,
} as const;

export type ErrorCode = keyof typeof errorStatus;
export const ErrorCode = z.enum(Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]]);

/** One issue of a `validation` error: the dotted path of the field (`and[1].value`) and why. */
export const ValidationIssue = z.object({ path: z.string(), message: z.string() });
export type ValidationIssue = z.infer<typeof ValidationIssue>;

export const ApiErrorBody = z
  .object({ code: ErrorCode, message: z.string(), details: z.unknown().optional() })
  .meta({ id: 'Error' });
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

/** Renders a zod issue path the way the API names fields: `ops[0].value`, `and[1].field`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

export function issuesFromZod(error: z.ZodError, prefix: ReadonlyArray<PropertyKey> = []): ValidationIssue[] {
  return error.issues.map((i) => ({ path: formatPath([...prefix, ...i.path]) || '(root)', message: i.message }));
}
