// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL (or the embedded PostgreSQL).
import { resolveDatabase } from '../lib/db/embedded';
import { migrate } from '../lib/db/migrator';

const database = await resolveDatabase();
try {
  const { applied, alreadyApplied } = await migrate(database.url, { log: (m) => console.log(m) });
  console.log(`${applied.length} migration(s) applied, ${alreadyApplied.length} already in place.`);
} finally {
  await database.stop();
}
