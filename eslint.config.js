// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { moduleBoundaries } from './eslint/rules/module-boundaries.js';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'var/**',
      '.tmp/**',
      'schema/generated/**',
      'desktop/src/renderer/graphql/generated/**',
      'desktop/vite.config.ts',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: {
          allowDefaultProject: ['eslint.config.js', 'keys/borg-hive-keys.cjs', 'schema/codegen.ts'],
        },
        tsconfigRootDir: import.meta.dirname,
        // type-graphql and MikroORM read decorator metadata: keep value imports of decorated types
        emitDecoratorMetadata: true,
        experimentalDecorators: true,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', name: ['it', 'test', 'describe', 'suite'], package: 'node:test' },
          ],
        },
      ],
      'no-control-regex': 'off',
      // MikroORM's Opt<> brand on enum columns confuses this rule
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-unsafe-function-type': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/no-redundant-type-constituents': 'off',
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'use named exports' },
      ],
    },
  },
  {
    // a feature module is imported only through its index.ts (testing.ts: test helpers); e2e, bench and the
    // desktop app reach the server only through @borg-hive/server/testing. graphql/, db/ and http/ (the layer
    // the modules stand on) still name module files: see docs/architecture.md
    files: [
      'server/src/modules/**',
      'server/src/{app,services,main}.ts',
      'server/src/cli/**',
      'e2e/**',
      'bench/**',
      'desktop/**',
      'keys/**',
    ],
    plugins: { 'borg-hive': { rules: { 'module-boundaries': moduleBoundaries } } },
    rules: { 'borg-hive/module-boundaries': 'error' },
  },
  {
    files: ['**/*.cjs', '**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['eslint.config.js', 'desktop/vite.config.ts', 'schema/codegen.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['desktop/src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
