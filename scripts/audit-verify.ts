// `npm run audit:verify`: walks the audit log's hash chain and exits non-zero if any event was
// changed, removed, inserted or reordered. `npm run audit:verify -- --pack <evidence.json>` also
// checks an evidence pack: every audit row it carries hashes to its hash, and is the log's row of that id.
import { readFile } from 'node:fs/promises';
import { verifyAuditLog } from '../lib/audit/log';
import { getDb } from '../lib/db/client';
import { resolveDatabase } from '../lib/db/embedded';
import { verifyPackRows, type PackAuditRow } from '../lib/model-story/evidence';

const packIndex = process.argv.indexOf('--pack');
const packFile = packIndex >= 0 ? process.argv[packIndex + 1] : undefined;
if (packIndex >= 0 && !packFile) {
  console.error('Usage: npm run audit:verify -- --pack <evidence.json>');
  process.exit(64);
}

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
  if (packFile) {
    const pack = JSON.parse(await readFile(packFile, 'utf8')) as { auditEvents?: PackAuditRow[] };
    const rows = pack.auditEvents ?? [];
    const logged = await getDb().auditEvent.findMany({
      where: { id: { in: rows.map((r) => BigInt(r.id)) } },
      select: { id: true, hash: true, prevHash: true },
    });
    const packVerdict = verifyPackRows(rows, new Map(logged.map((r) => [r.id.toString(), r])));
    if (packVerdict.ok && verdict.ok) {
      console.log(`Evidence pack ${packFile}: its ${packVerdict.checked} audit event(s) are the log's, unchanged.`);
    } else if (!packVerdict.ok) {
      console.error(`Evidence pack ${packFile} does NOT match the audit log:\n  ${packVerdict.problems.join('\n  ')}`);
      process.exitCode = 3;
    }
  }
} finally {
  await getDb().$disconnect();
  await database.stop();
}
