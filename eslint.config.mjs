import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** the transport libraries of the channels (issue 10 item 9) */
const TRANSPORTS = ['undici', 'nodemailer', 'serialport'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**', 'release/**', 'coverage/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-exports': ['error', { restrictDefaultExports: { direct: true } }],
    },
  },
  {
    // The bin shims are CommonJS by nature: they only require the built bundle.
    files: ['bin/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['*.config.*', 'vite.config.mts'],
    rules: { 'no-restricted-exports': 'off' },
  },
  {
    // src-shared is pure TypeScript: no Node, no DOM, no Electron, no React.
    files: ['src-shared/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'electron', 'react', 'react-dom', '@fluentui/*', 'fs', 'path'] }],
    },
  },
  {
    // Only the Electron shell may import electron (loading it in plain Node tries a download).
    files: ['src-main/**', 'src-renderer/**', 'test/**', 'bench/**', 'scripts/**'],
    ignores: ['src-main/electron/**'],
    rules: { 'no-restricted-imports': ['error', { paths: ['electron'] }] },
  },
  {
    files: ['src-renderer/**'],
    rules: { 'no-restricted-imports': ['error', { paths: ['electron'], patterns: ['node:*'] }] },
  },
  {
    // A channel's transport library is its own: only src-main/channels/ may import it.
    files: ['src-main/**'],
    ignores: ['src-main/electron/**', 'src-main/channels/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['electron', ...TRANSPORTS.map((name) => ({ name, message: `only a channel (src-main/channels/<name>/) imports ${name}` }))] },
      ],
    },
  },
  {
    // Channel folders never import each other: what they share is in channels/*.ts or below.
    files: ['src-main/channels/*/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron'], patterns: [{ group: ['../*/**', '!../../**'], message: 'a channel does not import another channel' }] }],
    },
  },
  {
    files: ['src-renderer/channels/*/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron'],
          // one form for all patterns: the rule's schema takes strings or objects, not both
          patterns: [{ group: ['node:*'] }, { group: ['../*/**', '!../../**'], message: 'a channel does not import another channel' }],
        },
      ],
    },
  },
  {
    // src-main/lib is the bottom layer: it imports nothing above it (core, channels, queue, …)
    // and no package, only Node's built-ins, its own files (./x) and src-shared.
    files: ['src-main/lib/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!node:|\\./(?!.*\\.\\./)|\\.\\./\\.\\./src-shared/(?!.*\\.\\./))',
              message: 'src-main/lib imports only node:* built-ins, other lib files (./x) and ../../src-shared.',
            },
          ],
        },
      ],
    },
  },
);
