// `npm run audit:verify`: walks the audit log's hash chain and exits non-zero if any event was
// changed, removed, inserted or reordered.
import { verifyAuditLog } from '../lib/audit/log';
import { getDb } from '../lib/db/client';
import { resolveDatabase } from '../lib/db/embedded';

const database = await resolveDatabase();
process.env.DATABASE_URL = database.url;
try {
  const verdict = await verifyAuditLog();
  if (verdict.ok) {
    console.log(`Audit log intact: ${verdict.checked} event(s) verified, last hash ${verdict.lastHash}.`);
  } else {
    console.error(`Audit log TAMPERED: ${verdict.problem}. ${verdict.checked} event(s) before it verified.`);
    process.exitCode = 2;
  }
} finally {
  await getDb().$disconnect();
  await database.stop();
}
