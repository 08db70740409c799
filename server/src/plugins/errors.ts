import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { isResponseSerializationError } from 'fastify-type-provider-zod';
import { errorStatus, type ApiErrorBody, type ErrorCode } from '@switchboard/shared';
import { AppError, diskFull, isDiskFull } from '../lib/errors.ts';

const codeByStatus: Record<number, ErrorCode> = {
  400: 'validation',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'validation',
  422: 'unprocessable',
  429: 'rate_limited',
  503: 'unavailable',
};

/** The one error handler: every failure leaves as `{ code, message, details }`. */
export const errorsPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    if (err instanceof AppError) {
      const body: ApiErrorBody = { code: err.code, message: err.message, details: err.details };
      if (err.code === 'validation' && 'validationContext' in err && err.validationContext) {
        body.message = `${String(err.validationContext)}: ${err.message}`;
      }
      return reply.status(err.statusCode).send(body);
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err, issues: err.cause.issues }, 'response did not match its schema');
      return reply.status(500).send({ code: 'internal', message: 'Internal error' } satisfies ApiErrorBody);
    }
    if (isDiskFull(err)) {
      // SQLite rolls the transaction back on SQLITE_FULL: the database is intact, the change is not in it.
      request.log.error({ err }, 'disk full');
      const full = diskFull('(request)', 'the change');
      return reply.status(full.statusCode).send({ code: full.code, message: full.message, details: full.details } satisfies ApiErrorBody);
    }
    const status = err.statusCode ?? 500;
    if (status >= 500 || !codeByStatus[status]) {
      request.log.error({ err }, 'unhandled error');
      // 5xx never leak internals.
      return reply.status(500).send({ code: 'internal', message: 'Internal error' } satisfies ApiErrorBody);
    }
    const code = codeByStatus[status]!;
    const body: ApiErrorBody = { code, message: err.message };
    // A body refused before validation (not JSON, too large) is named as a whole.
    if (code === 'validation' || code === 'payload_too_large') body.details = [{ path: '(body)', message: err.message }];
    return reply.status(errorStatus[code]).send(body);
  });
});
