import { ConflictDetails, ValidationIssue, type ContactOp, type FieldValue, type ProfileField } from '@switchboard/shared';
import { ApiError } from '$lib/api/client';

// Building the PATCH ops of the drawer. Scalar edits carry `expected`, the value the editor saw when it
// started editing (null when it saw none), so a concurrent change answers 409 instead of being
// overwritten silently. Tags never carry it: adds and removes merge.

/** The value an editor saw: a FieldValue, null for none, or whatever a conflict reported as current. */
export type Seen = unknown;

const seen = (value: Seen): unknown => (value === undefined || value === '' ? null : value);

export function setProfileOp(field: ProfileField, value: string | null, expected: Seen): ContactOp {
  return { op: 'setProfile', field, value, expected: seen(expected) };
}

export function setFieldOp(key: string, value: FieldValue, expected: Seen): ContactOp {
  return { op: 'setField', key, value, expected: seen(expected) };
}

export function clearFieldOp(key: string, expected: Seen): ContactOp {
  return { op: 'clearField', key, expected: seen(expected) };
}

export function addTagOp(tag: string): ContactOp {
  return { op: 'addTag', tag: tag.trim() };
}

export function removeTagOp(tag: string): ContactOp {
  return { op: 'removeTag', tag };
}

/** The details of a 409 `conflict`, or null for any other failure. */
export function readConflict(error: unknown): ConflictDetails | null {
  if (!(error instanceof ApiError) || error.code !== 'conflict') return null;
  const parsed = ConflictDetails.safeParse(error.details);
  return parsed.success ? parsed.data : null;
}

/** What to show under an input: the first validation issue's message, else the error's own message. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'validation' && Array.isArray(error.details)) {
      const first = ValidationIssue.safeParse(error.details[0]);
      if (first.success) return first.data.message;
    }
    return error.message;
  }
  return 'Something went wrong. Try again.';
}

export type Outcome = { ok: true } | { ok: false; message: string; conflict: ConflictDetails | null };

export function failure(error: unknown): Outcome {
  return { ok: false, message: errorMessage(error), conflict: readConflict(error) };
}
