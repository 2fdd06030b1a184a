import { readdirSync } from 'node:fs';
import nextCoreWebVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

const STACK = {
  group: ['**/stack/**', '@/stack/**'],
  message: 'The product must not import the local platform stack.',
};
// Feature folders of components/ share only components/ui: none imports another, nor a route.
const features = readdirSync(new URL('./components', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'ui')
  .map((entry) => entry.name);
const featureRules = features.map((feature) => ({
  files: [`components/${feature}/**`],
  ignores: ['**/*.test.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          STACK,
          {
            group: [
              ...features
                .filter((other) => other !== feature)
                .flatMap((other) => [`@/components/${other}/**`, `../${other}/**`]),
              '@/app/**',
            ],
            message: 'A feature folder imports only components/ui (and lib/), never another feature or a route.',
          },
        ],
      },
    ],
  },
}));

const config = [
  {
    ignores: [
      '.next/**',
      'node_modules/**',
      '.data/**',
      'lib/db/generated/**',
      'test-results/**',
      'playwright-report/**',
      'next-env.d.ts',
    ],
  },
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
      'no-restricted-imports': ['error', { patterns: [STACK] }],
    },
  },
  ...featureRules,
  {
    // recharts is about 100 kB of gzipped JavaScript: only a chart's drawing imports it, and the
    // drawing is loaded after the page through components/ui/lazy-chart.tsx.
    files: ['app/**', 'components/**'],
    ignores: ['**/*-drawing.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='recharts'][importKind!='type']",
          message:
            'Import recharts only in a chart drawing (*-drawing.tsx) loaded with lazyChart (components/ui/lazy-chart.tsx), so it stays out of the first load.',
        },
      ],
    },
  },
  {
    // Adapters and services never reach up into routes or UI.
    files: ['lib/**'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/stack/**', '@/stack/**', '@/app/**', '@/components/**', '**/app/**', '**/components/**'],
              message: 'lib/ must not import routes, UI or the stack.',
            },
          ],
        },
      ],
    },
  },
];

export default config;
