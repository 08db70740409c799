import { ValidationIssue } from '@switchboard/shared';

export interface FormErrors {
  /** First message per input, keyed by the body's top-level field (`phone`, `email`, …). */
  fields: Record<string, string>;
  /** Issues that name no input of the form. */
  other: string[];
}

/** Spreads a 400's `details: [{ path, message }]` over the form's inputs. */
export function formErrors(details: unknown, inputs: readonly string[]): FormErrors {
  const out: FormErrors = { fields: {}, other: [] };
  if (!Array.isArray(details)) return out;
  for (const raw of details) {
    const issue = ValidationIssue.safeParse(raw);
    if (!issue.success) continue;
    const name = /^[A-Za-z_$][\w$]*/.exec(issue.data.path)?.[0];
    if (name && inputs.includes(name)) out.fields[name] ??= issue.data.message;
    else out.other.push(issue.data.path && issue.data.path !== '(root)' ? `${issue.data.path}: ${issue.data.message}` : issue.data.message);
  }
  return out;
}

/** The id of the contact that a 409 on creation points at, whatever the name of its key. */
export function existingContactId(details: unknown): string | null {
  if (typeof details === 'string' || typeof details === 'number') return String(details);
  if (!details || typeof details !== 'object') return null;
  const d = details as Record<string, unknown>;
  for (const key of ['contactId', 'existingId', 'id']) {
    const value = d[key];
    if (typeof value === 'string' || typeof value === 'number') return String(value);
  }
  const nested = d.contact ?? d.existing;
  return nested && typeof nested === 'object' ? existingContactId(nested) : null;
}
