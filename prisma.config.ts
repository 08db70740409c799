import { defineConfig } from 'prisma/config';

// Only `prisma generate` and the dev-time diff tool read this; the app applies the checked-in
// migrations itself (server/src/plugins/migrate.ts), so the CLI's native engine is never needed.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'file:./data/switchboard.db' },
});
