import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate, migrationsDir, sqlitePath } from '../src/db/sqlite.ts';
import { migratePostgres, pgMigrationsDir } from '../src/db/postgres.ts';
import { login, setupApp, testDatabase, type TestApp } from './helper.ts';
import { newAgent } from './factories.ts';
import { readdirSync } from 'node:fs';

let t: TestApp;
beforeAll(async () => {
  t = await setupApp();
});
afterAll(() => t.close());

describe('platform', () => {
  it('GET /api/health answers without a session', async () => {
    const res = await t.app.inject({ url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, database: testDatabase === 'postgres' ? 'postgresql' : 'sqlite' });
  });

  it('tags every response with a request id, echoing a sane incoming one', async () => {
    const res = await t.app.inject({ url: '/api/health', headers: { 'x-request-id': 'lb-1234' } });
    expect(res.headers['x-request-id']).toBe('lb-1234');
    const other = await t.app.inject({ url: '/api/health', headers: { 'x-request-id': 'bad id <script>' } });
    expect(other.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers with a CSP', async () => {
    const res = await t.app.inject({ url: '/api/health' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves OpenAPI generated from the route schemas at /docs', async () => {
    const res = await t.app.inject({ url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/workspaces/{workspaceId}/members']));
    const login = doc.paths['/api/auth/login'].post;
    expect(login.requestBody.content['application/json'].schema.properties).toHaveProperty('email');
    expect((await t.app.inject({ url: '/docs' })).statusCode).toBeLessThan(400);
  });

  it('answers unknown API paths with the JSON error body', async () => {
    const agent = await newAgent(t.db);
    const cookie = await login(t.app, agent.email);
    const res = await t.app.inject({ url: '/api/nope', headers: { cookie } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'not_found' });
  });
});

// Pragmas, sqlite_master and the migrated file are SQLite's own; the PostgreSQL twin follows.
describe.runIf(testDatabase === 'sqlite')('database (SQLite)', () => {
  it('is migrated, with WAL, foreign keys on and a busy timeout', () => {
    const pragma = (p: string) => t.db.conn.pragma(p, { simple: true });
    expect(pragma('journal_mode')).toBe('wal');
    expect(Number(pragma('foreign_keys'))).toBe(1);
    expect(Number(pragma('busy_timeout'))).toBeGreaterThanOrEqual(5000);
    const tables = t.db.conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['Contact', 'FieldValue', 'EventLog', 'Job', 'AuditEvent', 'LayoutPreference', '_migrations']));
  });

  it('applies each checked-in migration exactly once', () => {
    const file = sqlitePath(t.config.databaseUrl);
    const names = readdirSync(migrationsDir).sort();
    const conn = new Database(file, { readonly: true });
    expect(conn.prepare('SELECT name FROM _migrations ORDER BY name').pluck().all()).toEqual(names);
    conn.close();
    expect(migrate(file)).toEqual([]);
  });

  it('keeps typed, indexed columns for custom field values', () => {
    const idx = t.db.conn.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'FieldValue'").pluck().all();
    expect(idx).toEqual(expect.arrayContaining(['FieldValue_fieldId_textKey_contactId_idx', 'FieldValue_fieldId_number_contactId_idx', 'FieldValue_fieldId_time_contactId_idx']));
  });
});

describe.runIf(testDatabase === 'postgres')('database (PostgreSQL)', () => {
  it('is migrated, with foreign keys enforced', async () => {
    const tables = await t.db.sql.column<string>("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'");
    expect(tables).toEqual(expect.arrayContaining(['contact', 'fieldvalue', 'eventlog', 'job', 'auditevent', 'layoutpreference', '_migrations']));
    const fks = await t.db.sql.value<number>("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace AND convalidated");
    expect(fks).toBeGreaterThan(0);
    await expect(t.db.sql.run('INSERT INTO FieldValue (contactId, fieldId, updatedAt) VALUES (?, ?, ?)', [987654321, 987654321, new Date()])).rejects.toThrow(/foreign key/);
  });

  it('applies each checked-in migration exactly once', async () => {
    const names = readdirSync(pgMigrationsDir).sort();
    expect(await t.db.sql.column('SELECT name FROM _migrations ORDER BY name')).toEqual(names);
    expect(await migratePostgres(t.config.databaseUrl)).toEqual([]);
  });

  it('keeps typed, indexed columns for custom field values', async () => {
    const idx = await t.db.sql.column("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'fieldvalue'");
    expect(idx).toEqual(expect.arrayContaining(['fieldvalue_fieldid_textkey_contactid_idx', 'fieldvalue_fieldid_number_contactid_idx', 'fieldvalue_fieldid_time_contactid_idx']));
  });
});
