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
