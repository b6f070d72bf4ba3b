import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '.tmp*/',
      'dist/',
      'node_modules/',
      'coverage/',
      'reports/',
      'src/spec/openapi-types.ts',
      'test/lint/*/',
      'test/package/user-app/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { project: ['./tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // supertest's and fetch's `body`/`json()` are `any` by design; tests hold them to a shape with
    // `expect`, which is the check these rules would ask for.
    files: ['test/**/*.ts', 'contract-tests/self-test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['**/*.cjs', '**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { module: 'writable', require: 'readonly', console: 'readonly' } },
  },
  {
    // The inspector's page script runs in the browser.
    files: ['inspector/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: Object.fromEntries(
        ['document', 'window', 'fetch', 'localStorage', 'navigator', 'location', 'history', 'setTimeout', 'URL', 'Blob', 'Node'].map(
          (name) => [name, 'readonly'],
        ),
      ),
    },
  },
);
