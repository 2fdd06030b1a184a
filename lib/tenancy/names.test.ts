import { describe, expect, it } from 'vitest';
import { tenantNameSchema } from './names';

describe('tenant names are DNS-1123 labels', () => {
  it.each(['fraud', 'pricing-eu', 'a', 'team42', 'x'.repeat(63)])('accepts %s', (name) => {
    expect(tenantNameSchema.safeParse(name).success).toBe(true);
  });
  it.each([
    ['', /Enter a name/],
    ['Fraud', /lower-case/],
    ['-fraud', /starting and ending/],
    ['fraud-', /starting and ending/],
    ['fraud_eu', /lower-case/],
    ['fraud.eu', /lower-case/],
    ['x'.repeat(64), /63/],
    ['kube-system', /reserved/],
    ['kube-anything', /reserved/],
    ['default', /reserved/],
  ])('rejects %j with a message that says why', (name, message) => {
    const result = tenantNameSchema.safeParse(name);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join(' ')).toMatch(message);
  });
});
