import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { AppError } from '../lib/errors.ts';

/**
 * SvelteKit's built page boots with one inline script. Rather than allow 'unsafe-inline', the
 * CSP lists the SHA-256 of each inline script found in the built index.html.
 */
export function inlineScriptHashes(indexHtml: string | undefined): string[] {
  if (!indexHtml || !existsSync(indexHtml)) return [];
  const html = readFileSync(indexHtml, 'utf8');
  const hashes: string[] = [];
  for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
    hashes.push(`'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`);
  }
  return hashes;
}

export const securityPlugin = fp(async (app: FastifyInstance, opts: { indexHtml?: string }) => {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...inlineScriptHashes(opts.indexHtml)],
        // Svelte writes style attributes (transitions, virtual list offsets).
        styleSrc: ["'self'", "'unsafe-inline'"],
        // Contact avatars come from the channels' CDNs.
        imgSrc: ["'self'", 'data:', 'https:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
      },
    },
    // Served over plain HTTP on localhost by default; HSTS belongs on the TLS proxy.
    strictTransportSecurity: false,
  });

  // Limits are opt-in per route (login, inbound, widget) through `config.rateLimit`.
  await app.register(rateLimit, {
    global: false,
    // After body parsing, so a limit can be keyed on what is in the body (the login email).
    hook: 'preHandler',
    errorResponseBuilder: (_req, ctx) =>
      new AppError('rate_limited', `Too many requests; try again in ${Math.ceil(ctx.ttl / 1000)} s`, {
        retryAfterSeconds: Math.ceil(ctx.ttl / 1000),
      }),
  });
});
