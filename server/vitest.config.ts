import { defineConfig } from 'vitest/config';
import { PG_ADMIN_URL, postgresAvailable } from './test/support/postgres.ts';

// The suite runs twice in one vitest run, once per database: two projects that share the
// workers, so the PostgreSQL files fill the time the SQLite files spend waiting (sockets, child
// processes, Chromium) instead of running after them.
// Without PostgreSQL the project is left out; with REQUIRE_SERVICES=1 postgresAvailable throws.
async function postgresReachable(): Promise<boolean> {
  const available = await postgresAvailable();
  if (!available) console.log(`PostgreSQL project skipped: nothing answers at ${PG_ADMIN_URL}`);
  return available;
}

// Left out of the PostgreSQL project: tests that already cover both databases in one run
// (dialects, copy, the filter property test, the PostgreSQL import writer, the two-node
// PostgreSQL proof), tests of SQLite-only tools and query plans, and the static await check.
const bothInOneRun = ['db-dialects', 'copy-to-postgres', 'filter.property', 'imports-writer-pg', 'two-nodes-postgres'];
const sqliteOnly = ['filter.compile', 'backup', 'disk-full', 'imports-crash', 'promises'];

const shared = {
  // Each file boots its own app on its own database, so files run in parallel.
  pool: 'forks' as const,
  // Hang guards, not speed checks: on a 2-core box running both projects, tests of 10 s alone took
  // 25–50 s (real server starts, imports, PostgreSQL transactions), and 30 s failed correct tests.
  testTimeout: 120_000,
  hookTimeout: 120_000,
  // expect.poll waits for a page or a socket to catch up; its 1 s default fails a correct test
  // when the box is busy with the other project's files.
  expect: { poll: { timeout: 10_000 } },
};

export default defineConfig(async () => ({
  test: {
    // Most files wait on I/O far more than they compute; two per core keeps both cores busy.
    maxWorkers: Number(process.env.TEST_WORKERS ?? 4),
    projects: [
      { test: { ...shared, name: 'sqlite', include: ['test/**/*.test.ts'], env: { TEST_DATABASE: 'sqlite' } } },
      ...((await postgresReachable())
        ? [
            {
              test: {
                ...shared,
                name: 'postgres',
                include: ['test/**/*.test.ts'],
                exclude: [...bothInOneRun, ...sqliteOnly].map((name) => `test/${name}.test.ts`),
                // The long property runs prove the same on fewer cases here: every write is a round
                // trip to PostgreSQL (a PATCH ~20 ms on a 2-core box, ~3 ms on SQLite). The SQLite
                // project runs the full counts (10,000 audited mutations, 1,000 races, fuzz at 1×).
                env: { AUDIT_MUTATIONS: '2500', RACE_ROUNDS: '250', FUZZ_RUNS: '0.5', ...pick(['AUDIT_MUTATIONS', 'RACE_ROUNDS', 'FUZZ_RUNS']), TEST_DATABASE: 'postgres' },
              },
            },
          ]
        : []),
    ],
  },
}));

/** Overrides from the caller's environment win over the PostgreSQL project's defaults. */
function pick(names: string[]): Record<string, string> {
  return Object.fromEntries(names.filter((n) => process.env[n] !== undefined).map((n) => [n, process.env[n]!]));
}
