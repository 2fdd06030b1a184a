import { describe, expect, it } from 'vitest';

describe('instrumentation-client', () => {
  it('turns zod’s eval probe off (jitless) through the global zod reads its configuration from', async () => {
    await import('../instrumentation-client');
    const { z } = await import('zod');
    expect(z.config().jitless).toBe(true);
  });
});
