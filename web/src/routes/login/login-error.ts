import { ValidationIssue } from '@switchboard/shared';
import { ApiError } from '$lib/api/client';

const fieldLabels: Record<string, string> = { email: 'Email', password: 'Password' };
const Issues = ValidationIssue.array().min(1);

/** What the login form says when signing in fails. */
export function loginErrorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Try again.';
  if (error.status === 429) return 'Too many attempts, try again in a minute';
  if (error.status === 401) return error.message || 'Wrong email or password';
  const issues = error.code === 'validation' ? Issues.safeParse(error.details) : null;
  if (issues?.success) {
    const [first] = issues.data;
    return `${fieldLabels[first!.path] ?? first!.path} ${first!.message}`;
  }
  return error.message;
}
