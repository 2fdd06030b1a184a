import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../errors';
import type { GateResult } from './gates';
import { GatesRefusedError } from './requests';

const gate = (id: string, passed: boolean, blocking: boolean): GateResult => ({
  id,
  kind: 'threshold',
  label: `Gate ${id}`,
  passed,
  blocking,
  detail: `${id} detail`,
  values: {},
});

describe('GatesRefusedError', () => {
  const gates = [gate('a', true, true), gate('b', false, true), gate('c', false, false), gate('d', false, true)];
  const error = new GatesRefusedError(gates);

  it('names the blocking failures for people, as the form always showed them', () => {
    expect(error.message).toBe('This version cannot be submitted: Gate b — b detail Gate d — d detail');
  });

  it('keeps every gate’s result for the API’s answer', () => {
    expect(error.gates).toEqual(gates);
  });

  it('is a user-facing error, so the server action shows its message', () => {
    expect(error).toBeInstanceOf(UserFacingError);
    expect(error.name).toBe('GatesRefusedError');
  });
});
