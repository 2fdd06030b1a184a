import { describe, expect, it } from 'vitest';
import { filedVia } from './filed-via';

const service = { kind: 'token' as const, token: { id: 't-service', kind: 'service' as const } };
const personal = { kind: 'token' as const, token: { id: 't-personal', kind: 'personal' as const } };

describe('filedVia', () => {
  it('records nothing for a browser filing, and refuses one that names a pipeline', () => {
    expect(filedVia({ kind: 'browser' }, undefined)).toEqual({ ok: true, filedVia: { tokenId: null, pipeline: null } });
    expect(filedVia({ kind: 'browser' }, 'train-fraud-detector-x7k2p')).toMatchObject({
      ok: false,
      error: expect.stringContaining('a person files as themself'),
    });
  });

  it('records the token of an API filing, and the pipeline run only from a service token', () => {
    expect(filedVia(personal, undefined)).toEqual({ ok: true, filedVia: { tokenId: 't-personal', pipeline: null } });
    expect(filedVia(personal, 'train-fraud-detector-x7k2p')).toMatchObject({
      ok: false,
      error: expect.stringContaining('only a tenant service token may name a pipeline run'),
    });
    expect(filedVia(service, 'train-fraud-detector-x7k2p')).toEqual({
      ok: true,
      filedVia: { tokenId: 't-service', pipeline: 'train-fraud-detector-x7k2p' },
    });
    expect(filedVia(service, undefined)).toEqual({ ok: true, filedVia: { tokenId: 't-service', pipeline: null } });
  });

  it('treats an empty pipeline name as none', () => {
    expect(filedVia({ kind: 'browser' }, '')).toMatchObject({ ok: true });
    expect(filedVia(personal, '')).toEqual({ ok: true, filedVia: { tokenId: 't-personal', pipeline: null } });
  });
});
