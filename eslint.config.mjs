import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', 'test-output/**', 'examples/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', performance: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The engine must never depend on VS Code or the DOM.
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['vscode'], patterns: ['**/extension/**', '**/webview/**'] }],
    },
  },
  {
    // Engines own their result types; only the protocol itself may import the protocol.
    files: ['core/**/*.ts'],
    ignores: ['core/protocol/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['vscode'],
          patterns: [
            { group: ['**/extension/**', '**/webview/**'], message: 'core/ never depends on VS Code or the DOM.' },
            { group: ['**/protocol', '**/protocol/*'], message: 'engines own their result types: the protocol imports them, not the other way round.' },
          ],
        },
      ],
    },
  },
);
