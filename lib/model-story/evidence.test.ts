import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, hashEvent } from '../audit/chain';
import { packAuditRow, pairRolloutAudit, verifyPackRows, type AuditRowLike } from './evidence';

const at = (second: number) => new Date(Date.UTC(2026, 10, 1, 12, 0, second));

function chain(rows: Omit<AuditRowLike, 'prevHash' | 'hash'>[]): AuditRowLike[] {
  let prev = GENESIS_HASH;
  return rows.map((row) => {
    const hash = hashEvent(prev, { ...row, before: null, after: (row.after ?? null) as never });
    const chained = { ...row, prevHash: prev, hash };
    prev = hash;
    return chained;
  });
}

const row = (id: bigint, action: string, second: number, outcome = 'success') => ({
  id,
  occurredAt: at(second),
  actorId: null,
  actor: 'bob',
  action,
  tenant: 'fraud',
  targetType: 'inference-service',
  targetId: 'fraud/fraud-detector',
  before: null,
  after: { canaryTrafficPercent: 25 },
  outcome,
  reason: null,
  requestId: null,
});

describe('pairRolloutAudit', () => {
  const rows = chain([
    row(1n, 'deployment.step', 10),
    row(2n, 'deployment.step', 70),
    row(3n, 'deployment.rollback', 71),
    row(4n, 'deployment.promote', 200, 'failed'),
  ]);

  it('pairs each outcome with the nearest row of its action, each row once; checks stay unpaired', () => {
    const pairs = pairRolloutAudit(
      [
        { key: 'a', kind: 'step', at: at(11) },
        { key: 'b', kind: 'check', at: at(40) },
        { key: 'c', kind: 'step', at: at(70) },
        { key: 'd', kind: 'rollback', at: at(71) },
        { key: 'e', kind: 'failed', at: at(201), failedAction: 'promote-full' },
      ],
      rows,
    );
    expect(Object.fromEntries([...pairs].map(([k, v]) => [k, v.id]))).toEqual({ a: 1n, c: 2n, d: 3n, e: 4n });
  });

  it('leaves an outcome unpaired when no row of its action was written with it', () => {
    expect(pairRolloutAudit([{ key: 'x', kind: 'rollback', at: at(10) }], rows).size).toBe(0);
  });
});

describe('verifyPackRows', () => {
  const rows = chain([row(1n, 'promotion.request', 1), row(2n, 'promotion.approve', 2)]);
  const log = new Map(rows.map((r) => [r.id.toString(), r]));
  const pack = rows.map(packAuditRow);

  it('accepts rows whose content gives their hash and which the log holds as they are', () => {
    expect(verifyPackRows(JSON.parse(JSON.stringify(pack)), log)).toEqual({ ok: true, checked: 2 });
  });

  it('finds a changed row, a row the log does not hold, and a hash the log does not have', () => {
    const changed = pack.map((r, i) => (i === 1 ? { ...r, actor: 'mallory' } : r));
    expect(verifyPackRows(changed, log)).toMatchObject({
      ok: false,
      problems: [expect.stringContaining('audit event 2')],
    });
    expect(verifyPackRows(pack, new Map([...log].slice(0, 1)))).toMatchObject({
      ok: false,
      problems: ['audit event 2: not in the audit log'],
    });
    const other = new Map(log);
    other.set('1', { ...rows[0]!, hash: 'f'.repeat(64) });
    expect(verifyPackRows(pack, other)).toMatchObject({ ok: false, problems: [expect.stringContaining('differs')] });
  });
});
