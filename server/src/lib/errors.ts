import { errorStatus, type ErrorCode, type ValidationIssue } from '@switchboard/shared';

/** The one error type services throw; the error handler turns it into `{ code, message, details }`. */
export class AppError extends Error {
  // A plain property, not a getter: Fastify assigns statusCode/code on validation errors.
  readonly statusCode: number;

  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
    this.statusCode = errorStatus[code];
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const forbidden = (message = 'Your role does not allow this') => new AppError('forbidden', message);
export const unauthorized = (message = 'Sign in first') => new AppError('unauthorized', message);
export const conflict = (message: string, details?: unknown) => new AppError('conflict', message, details);

export function validation(issues: ValidationIssue[], message?: string): AppError {
  const first = issues[0];
  return new AppError(
    'validation',
    message ?? (first ? `${first.path}: ${first.message}` : 'Invalid request'),
    issues,
  );
}

export const invalidField = (path: string, message: string) => validation([{ path, message }]);

/**
 * A write that failed because the disk is full: ENOSPC/EDQUOT from the file system, SQLITE_FULL
 * from the database (raw statements throw it directly, Prisma wraps it with the message only).
 */
export function isDiskFull(err: unknown): boolean {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.code === 'ENOSPC' || e.code === 'EDQUOT' || e.code === 'SQLITE_FULL') return true;
    if (typeof e.message === 'string' && /database or disk is full|no space left on device/i.test(e.message)) return true;
  }
  return false;
}

export const diskFull = (path: string, what: string) =>
  new AppError('insufficient_storage', `${path}: the server's disk is full; ${what} was not saved. Ask an administrator to free space in DATA_DIR.`, [
    { path, message: 'the server has no disk space left' },
  ]);
