import path from 'node:path';
import { defineConfig } from 'vitest/config';

const alias = { '@': path.resolve(import.meta.dirname) };

// Tests that read or change the local platform's shared, seeded state (the demo endpoints,
// registry aliases, simulator faults) run one file at a time, so one test's temporary change
// is never another's surprise. Everything else runs in parallel.
const PLATFORM_TESTS = [
  'stack/**/*.int.test.ts',
  'lib/integrations/**/*.int.test.ts',
  'lib/promotion/**/*.int.test.ts',
  'lib/rollout/**/*.int.test.ts',
  'lib/models/**/*.int.test.ts',
  'lib/experiments/**/*.int.test.ts',
  'lib/tenancy/provisioning.int.test.ts',
  'lib/quota/**/*.int.test.ts',
  'lib/ops/**/*.int.test.ts',
  'lib/pipelines/**/*.int.test.ts',
  'lib/slo/**/*.int.test.ts',
  'lib/read-model/**/*.int.test.ts',
  'lib/admission/**/*.int.test.ts',
  'test/helm/**/*.int.test.ts',
  'lib/observability/**/*.int.test.ts',
  'test/scale-out/**/*.int.test.ts',
  'lib/api/endpoints.int.test.ts',
  'lib/notifications/every-kind.int.test.ts',
  'lib/platform-health/**/*.int.test.ts',
  'lib/model-story/**/*.int.test.ts',
];

export default defineConfig({
  resolve: { alias },
  test: {
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'isolated',
          include: ['lib/**/*.test.ts', 'components/**/*.test.ts', 'stack/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: PLATFORM_TESTS,
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'platform',
          include: PLATFORM_TESTS,
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
    ],
  },
});
