import { describe, expect, it } from 'vitest';
import { parseDefault } from './database';

describe('parseDefault (a default as pg_get_expr prints it)', () => {
  it('reads back what Prisma Migrate writes', () => {
    expect(parseDefault(null)).toEqual({ kind: 'none' });
    expect(parseDefault(`nextval('audit_events_id_seq'::regclass)`)).toEqual({ kind: 'sequence' });
    expect(parseDefault('CURRENT_TIMESTAMP')).toEqual({ kind: 'now' });
    expect(parseDefault(`'it''s'::text`)).toEqual({ kind: 'literal', value: "it's" });
    expect(parseDefault(`'provisioning'::"TenantStatus"`)).toEqual({ kind: 'literal', value: 'provisioning' });
    expect(parseDefault('0')).toEqual({ kind: 'literal', value: '0' });
    expect(parseDefault(`'-1'::integer`)).toEqual({ kind: 'literal', value: '-1' });
    expect(parseDefault('true')).toEqual({ kind: 'literal', value: 'true' });
    expect(parseDefault('ARRAY[]::"PlatformRole"[]')).toEqual({ kind: 'list', values: [] });
    expect(parseDefault(`ARRAY['oncall'::"PlatformRole", 'manager'::"PlatformRole"]`)).toEqual({
      kind: 'list',
      values: ['oncall', 'manager'],
    });
  });

  it('keeps anything else as an expression, which no declared default equals', () => {
    expect(parseDefault('gen_random_uuid()')).toEqual({ kind: 'expression' });
    expect(parseDefault(`(now() + '1 day'::interval)`)).toEqual({ kind: 'expression' });
  });
});
