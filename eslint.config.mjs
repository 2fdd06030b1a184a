import nextCoreWebVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

const config = [
  { ignores: ['.next/**', 'node_modules/**', '.data/**', 'lib/db/generated/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts'] },
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Arrows point down: the product never imports the local platform stack.
    files: ['app/**', 'components/**', 'lib/**'],
    // Integration tests may use the stack to arrange the platform (they are not the product).
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/stack/**', '@/stack/**'], message: 'The product must not import the local platform stack.' }] }],
    },
  },
  {
    // Adapters and services never reach up into routes or UI.
    files: ['lib/**'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/stack/**', '@/stack/**', '@/app/**', '@/components/**', '**/app/**', '**/components/**'], message: 'lib/ must not import routes, UI or the stack.' }] },
      ],
    },
  },
];

export default config;
