import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const EnvSchema = z.object({
  PORT: optional(z.coerce.number().int().min(0).max(65535)).default(3000),
  HOST: optional(z.string()).default('0.0.0.0'),
  DATA_DIR: optional(z.string()).default('./data'),
  DATABASE_URL: optional(
    z.string().refine((v) => /^(file:|postgres(ql)?:\/\/)/.test(v), 'must start with file: or postgresql://'),
  ),
  REDIS_URL: optional(z.url({ protocol: /^rediss?$/, error: 'must be a redis:// URL' })),
  // Namespaces every Redis key, so several deployments (or test runs) can share one Redis.
  REDIS_PREFIX: optional(z.string().regex(/^[\w:.-]{1,64}$/, 'letters, digits, _ : . - (max 64)')).default('switchboard'),
  SESSION_SECRET: optional(z.string().min(32, 'must be at least 32 characters')),
  SEED_DEMO: optional(z.enum(['0', '1'], { error: 'must be 0 or 1' })).default('1'),
  LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])).default('info'),
  // Secure cookies: "auto" sets Secure when the request arrived over HTTPS (behind a proxy,
  // set TRUST_PROXY=1 so X-Forwarded-Proto counts).
  COOKIE_SECURE: optional(z.enum(['auto', 'always', 'never'])).default('auto'),
  TRUST_PROXY: optional(z.enum(['0', '1'])).default('0'),
  LOGIN_RATE_LIMIT: optional(z.coerce.number().int().min(1).max(10000)).default(10),
  // Inbound API requests per minute per API key (a busy channel integration posts every message).
  INBOUND_RATE_LIMIT: optional(z.coerce.number().int().min(1).max(1_000_000)).default(600),
  SESSION_TTL_DAYS: optional(z.coerce.number().int().min(1).max(365)).default(30),
  // Largest CSV an import accepts, in MB; the upload is streamed to DATA_DIR, never held in memory.
  IMPORT_MAX_MB: optional(z.coerce.number().int('must be a whole number of MB').min(1).max(100_000)).default(1024),
  // A running job's lease: a node that dies mid-job leaves it to the next node (or restart) this
  // long after its last renewal. Shorter resumes sooner; renewals are a third of it apart.
  JOB_LEASE_SECONDS: optional(z.coerce.number().int().min(1).max(3600)).default(30),
  // Most rows per import transaction (a batch also ends after 200 ms, or at once when this
  // process has a write waiting): larger batches rewrite fewer index pages per row.
  IMPORT_BATCH_ROWS: optional(z.coerce.number().int().min(1).max(100_000)).default(5000),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  database: 'sqlite' | 'postgresql';
  redisUrl: string | undefined;
  redisPrefix: string;
  sessionSecret: string;
  seedDemo: boolean;
  logLevel: string;
  cookieSecure: 'auto' | 'always' | 'never';
  trustProxy: boolean;
  loginRateLimit: number;
  inboundRateLimit: number;
  sessionTtlMs: number;
  importMaxBytes: number;
  importBatchRows: number;
  jobLeaseMs: number;
}

export class ConfigError extends Error {
  constructor(public readonly problems: { variable: string; message: string }[]) {
    super(
      'Invalid configuration:\n' + problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Parses the environment; a bad value throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })),
    );
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (err) {
    throw new ConfigError([{ variable: 'DATA_DIR', message: `cannot create ${dataDir}: ${(err as Error).message}` }]);
  }
  checkWritable(dataDir);
  const databaseUrl = e.DATABASE_URL ?? `file:${join(dataDir, 'switchboard.db')}`;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl,
    database: databaseUrl.startsWith('file:') ? 'sqlite' : 'postgresql',
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    sessionSecret: e.SESSION_SECRET ?? persistedSecret(dataDir),
    seedDemo: e.SEED_DEMO === '1',
    logLevel: e.LOG_LEVEL,
    cookieSecure: e.COOKIE_SECURE,
    trustProxy: e.TRUST_PROXY === '1',
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    inboundRateLimit: e.INBOUND_RATE_LIMIT,
    sessionTtlMs: e.SESSION_TTL_DAYS * 24 * 3600 * 1000,
    importMaxBytes: e.IMPORT_MAX_MB * 1024 * 1024,
    importBatchRows: e.IMPORT_BATCH_ROWS,
    jobLeaseMs: e.JOB_LEASE_SECONDS * 1000,
  };
}

// Generated once and kept beside the data, so sessions survive restarts without setup.
function persistedSecret(dataDir: string): string {
  const file = join(dataDir, 'session-secret');
  try {
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    const secret = randomBytes(48).toString('base64url');
    writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw new ConfigError([{ variable: 'DATA_DIR', message: `cannot write ${file}: ${(err as Error).message}` }]);
  }
}

/** Below this much free space in DATA_DIR the server refuses to start rather than fail mid-write. */
export const MIN_FREE_MB = 64;

/**
 * A read-only mount or a full disk found at start, by name, instead of as a failed write later
 * (SQLite would refuse its WAL, an upload would stop half-way). A probe file is written and
 * removed: permission bits alone say nothing for root or for a read-only filesystem.
 */
function checkWritable(dataDir: string): void {
  const probe = join(dataDir, `.write-probe-${process.pid}`);
  try {
    writeFileSync(probe, 'ok');
    rmSync(probe, { force: true });
  } catch (err) {
    throw new ConfigError([{ variable: 'DATA_DIR', message: `${dataDir} is not writable: ${(err as Error).message}` }]);
  }
  const fs = statfsSync(dataDir);
  const freeMb = (fs.bavail * fs.bsize) / 1024 / 1024;
  if (freeMb < MIN_FREE_MB) {
    throw new ConfigError([{ variable: 'DATA_DIR', message: `${dataDir} has ${freeMb.toFixed(0)} MB free; the server needs at least ${MIN_FREE_MB} MB to run safely` }]);
  }
}
