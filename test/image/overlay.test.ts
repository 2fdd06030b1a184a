import { describe, expect, it } from 'vitest';
import nextConfig from '../../next.config';
import { overlay } from '../../deploy/image/overlay';

describe("the image's Next.js configuration at start (deploy/image/server-entry.ts)", () => {
  const recorded = {
    poweredByHeader: false,
    experimental: { authInterrupts: true, serverActions: { bodySizeLimit: '256kb', allowedOrigins: [] } },
    images: { sizes: [16, 32] },
  };

  it('lays what next.config.ts says now over what the build recorded, keeping what it does not name', () => {
    const atStart = { experimental: { serverActions: { allowedOrigins: ['portal.example.com'] } } };
    expect(overlay(recorded, atStart)).toEqual({
      poweredByHeader: false,
      experimental: {
        authInterrupts: true,
        serverActions: { bodySizeLimit: '256kb', allowedOrigins: ['portal.example.com'] },
      },
      images: { sizes: [16, 32] },
    });
    expect(recorded.experimental.serverActions.allowedOrigins).toEqual([]);
  });

  it('replaces arrays and plain values whole', () => {
    expect(overlay({ a: [1, 2], b: 'x', c: { d: 1 } }, { a: [3], b: 'y', c: null })).toEqual({
      a: [3],
      b: 'y',
      c: null,
    });
  });

  it('next.config.ts names the standalone output the image is assembled from', () => {
    expect(nextConfig.output).toBe('standalone');
  });
});
