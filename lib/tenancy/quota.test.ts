import { describe, expect, it } from 'vitest';
import {
  describeHard,
  gpuCountSchema,
  hardFor,
  isZeroed,
  parseStoredQuota,
  quotaFormSchema,
  zeroedHard,
} from './quota';

const message = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.error?.issues.map((i) => i.message).join(' ');

describe('the GPU count from the form', () => {
  it.each([
    ['0', 0],
    ['4', 4],
    [' 8 ', 8],
    ['2.0', 2],
    [16, 16],
  ])('accepts %j as %d', (input, gpus) => {
    expect(gpuCountSchema.parse(input)).toBe(gpus);
  });

  it.each([
    ['-1', /cannot be negative/],
    ['-0.5', /cannot be negative/],
    ['1.5', /whole devices: enter a whole number, not 1.5/],
    ['0.25', /whole devices/],
    ['', /Enter the number of GPUs/],
    ['four', /whole number, such as 4/],
    ['1e3', /whole number, such as 4/],
    ['0x10', /whole number, such as 4/],
    ['5000', /At most 4096/],
  ])('refuses %j with a message that says why', (input, expected) => {
    const result = gpuCountSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(message(result)).toMatch(expected);
  });
});

describe('the quota form', () => {
  it('takes CPU and memory as Kubernetes quantities, or nothing', () => {
    expect(quotaFormSchema.parse({ gpus: '2', cpu: '16', memory: '64Gi' })).toEqual({
      gpus: 2,
      cpu: '16',
      memory: '64Gi',
    });
    expect(quotaFormSchema.parse({ gpus: '0', cpu: '500m', memory: '' })).toEqual({
      gpus: 0,
      cpu: '500m',
      memory: null,
    });
    expect(quotaFormSchema.parse({ gpus: '1' })).toEqual({ gpus: 1, cpu: null, memory: null });
  });

  it.each([
    [{ gpus: '1', cpu: '-2' }, 'cpu', /CPU quota cannot be negative/],
    [{ gpus: '1', cpu: 'lots' }, 'cpu', /Kubernetes quantity, such as 16 or 500m/],
    [{ gpus: '1', memory: '64GB' }, 'memory', /such as 64Gi/],
    [{ gpus: '1', memory: '-1Gi' }, 'memory', /memory quota cannot be negative/],
  ])('refuses %j on the %s field', (input, field, expected) => {
    const result = quotaFormSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([field]);
    expect(message(result)).toMatch(expected);
  });
});

describe('quota arithmetic', () => {
  it('writes hard limits for what was asked', () => {
    expect(hardFor({ gpus: 4, cpu: '16', memory: '64Gi' })).toEqual({
      'requests.nvidia.com/gpu': '4',
      'requests.cpu': '16',
      'requests.memory': '64Gi',
    });
    expect(hardFor({ gpus: 0, cpu: null, memory: null })).toEqual({ 'requests.nvidia.com/gpu': '0' });
  });

  it('zeroes every limit, GPUs included', () => {
    expect(zeroedHard({ 'requests.cpu': '16', pods: '10' })).toEqual({
      'requests.nvidia.com/gpu': '0',
      'requests.cpu': '0',
      pods: '0',
    });
    expect(isZeroed({ 'requests.nvidia.com/gpu': '0', 'requests.memory': '0Gi' })).toBe(true);
    expect(isZeroed({ 'requests.nvidia.com/gpu': '0', 'requests.cpu': '500m' })).toBe(false);
    expect(isZeroed({})).toBe(false);
  });

  it('describes limits for people', () => {
    expect(
      describeHard({ 'requests.nvidia.com/gpu': '1', 'requests.memory': '8Gi', pods: '4', 'requests.cpu': '2' }),
    ).toBe('1 GPU, 2 CPU, 8Gi memory, pods=4');
    expect(describeHard({ 'requests.nvidia.com/gpu': '8' })).toBe('8 GPUs');
    expect(describeHard({})).toBe('no limits');
  });

  it('reads a stored request back, or nothing when it is not one', () => {
    expect(parseStoredQuota({ gpus: 2, cpu: null, memory: '1Gi' })).toEqual({ gpus: 2, cpu: null, memory: '1Gi' });
    expect(parseStoredQuota(null)).toBeNull();
    expect(parseStoredQuota({ gpus: -1, cpu: null, memory: null })).toBeNull();
  });
});
