import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import fp from 'fastify-plugin';
import { serializerCompiler } from 'fastify-type-provider-zod';
import type { ZodType } from 'zod';
import { issuesFromZod } from '@switchboard/shared';
import { validation } from '../lib/errors.ts';

// Our own validator (rather than the type provider's) so validation errors carry paths in the
// API's notation (`ops[0].value`), not JSON-pointer fragments.
const validatorCompiler: FastifySchemaCompiler<ZodType> = ({ schema }) => (data) => {
  const result = schema.safeParse(data);
  if (result.success) return { value: result.data };
  return { error: validation(issuesFromZod(result.error)) };
};

export const zodPlugin = fp(async (app: FastifyInstance) => {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
});
