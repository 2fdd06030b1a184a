import { defineConfig } from 'prisma/config';

// The datasource URL is only needed by Prisma's migrate commands, which this project replaces
// with its own SQL migrator (lib/db/migrator.ts); `prisma generate` needs no database.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/unused' },
});
