import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import fp from 'fastify-plugin';
import { serializerCompiler } from 'fastify-type-provider-zod';
import type { ZodType } from 'zod';
import { formatPath, issuesFromZod } from '@switchboard/shared';
import { validation } from '../lib/errors.ts';

// Our own validator (rather than the type provider's) so validation errors carry paths in the
// API's notation (`ops[0].value`), not JSON-pointer fragments.
const validatorCompiler: FastifySchemaCompiler<ZodType> = ({ schema }) => (data) => {
  const unsafe = unsafeTextPath(data);
  if (unsafe !== null) return { error: validation([{ path: unsafe, message: 'must not contain NUL or unpaired surrogate characters' }]) };
  const result = schema.safeParse(data);
  if (result.success) return { value: result.data };
  return { error: validation(issuesFromZod(result.error)) };
};

// Text SQLite cannot hold faithfully: its functions (length, LIKE, FTS) stop at a NUL, and an
// unpaired surrogate is read back as U+FFFD. No request may carry them, as a value or as a key.
const UNSAFE_TEXT = /[\u0000\uD800-\uDFFF]/u;

/**
 * The API path (`message.text`, `ops[2].value`) of the first string or key holding NUL or an
 * unpaired surrogate, or null. Iterative: a 10,000-deep body must not overflow the stack.
 */
export function unsafeTextPath(data: unknown): string | null {
  type Entry = { value: unknown; parent: Entry | null; key: string | number | null };
  const pathOf = (e: Entry) => {
    const parts: (string | number)[] = [];
    for (let at: Entry | null = e; at && at.key !== null; at = at.parent) parts.unshift(at.key);
    return formatPath(parts) || '(root)';
  };
  const stack: Entry[] = [{ value: data, parent: null, key: null }];
  while (stack.length) {
    const e = stack.pop()!;
    const v = e.value;
    if (typeof v === 'string') {
      if (UNSAFE_TEXT.test(v)) return pathOf(e);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], parent: e, key: i });
    } else if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        const child: Entry = { value: (v as Record<string, unknown>)[key], parent: e, key };
        if (UNSAFE_TEXT.test(key)) return pathOf(child);
        stack.push(child);
      }
    }
  }
  return null;
}

export const zodPlugin = fp(async (app: FastifyInstance) => {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
});
