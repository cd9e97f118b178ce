// Lint: the community-node rules n8n publishes (the same composition as @n8n/node-cli's `config`, minus its
// heavy AI SDK dependency) plus type-aware typescript-eslint rules for the whole repo.
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import { globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

// This pack needs runtime dependencies (dockerode, imapflow, ...), so it is an unverified community package:
// every rule but the verified-only "no runtime dependencies" one applies.
const n8nFreeMessage =
	'clients/, backend/ and shared/ know nothing of n8n: keep n8n types in nodes/ or credentials/ (docs/DEVELOPING.md).';

const communityNodes = n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport;

export default tseslint.config(
	globalIgnores(['dist', '**/dist', 'node_modules', '.cache', 'test/harness/n8n-pin']),
	{
		files: ['**/*.ts'],
		extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
		languageOptions: {
			parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
		},
		rules: {
			'prefer-spread': 'off',
			'no-console': 'error',
			'@typescript-eslint/no-explicit-any': 'error',
			'@typescript-eslint/consistent-type-imports': 'error',
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': 'error',
			'@typescript-eslint/switch-exhaustiveness-check': 'error',
			// Interfaces often require an async signature that a particular implementation fulfils synchronously.
			'@typescript-eslint/require-await': 'off',
		},
	},
	{
		// What ships inside the community package and runs in the n8n process.
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'clients/**/*.ts', 'shared/**/*.ts'],
		extends: [communityNodes],
	},
	{
		// Service clients are shared with the backend and know nothing of n8n: nodes wrap their errors.
		files: ['clients/**/*.ts'],
		rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
	},
	{
		// Tests, benches, scripts and the backend run outside n8n: they spawn servers and talk to the terminal.
		files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'backend/**/*.ts'],
		rules: { 'no-console': 'off' },
	},
	{
		// node:test's describe()/it() return promises the runner itself tracks.
		files: ['test/**/*.test.ts'],
		rules: { '@typescript-eslint/no-floating-promises': 'off' },
	},
	// The layers: nodes -> clients <- backend, with shared/ the pure helpers everyone may use. Each block
	// names every forbidden group for its files, since a later `no-restricted-imports` replaces an earlier one.
	{
		files: ['clients/**/*.ts', 'backend/**/*.ts', 'shared/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{ group: ['n8n-workflow', 'n8n-core', '@n8n/*'], message: n8nFreeMessage },
						{ group: ['**/nodes/**', '**/credentials/**'], message: n8nFreeMessage },
					],
				},
			],
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{ patterns: [{ group: ['**/backend/**'], message: 'Nodes talk to the backend over HTTP only.' }] },
			],
		},
	},
	{
		// An operation stands alone: what two operations share (fields, readers) lives in the node's
		// actions/common.ts or actions/shared/, never in another operation file (docs/DEVELOPING.md). Repeats the
		// nodes/ group above, since this block replaces it for these files.
		files: ['nodes/*/actions/**/*.operation.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{ group: ['**/backend/**'], message: 'Nodes talk to the backend over HTTP only.' },
						{
							group: ['*.operation'],
							message:
								"An operation does not import another operation: move the shared piece into the node's actions/common.ts or actions/shared/.",
						},
					],
				},
			],
		},
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['**/nodes/**', '**/backend/**', '**/clients/**'],
							message: 'A credential is a self-contained description: no node, client or backend code.',
						},
					],
				},
			],
		},
	},
	{ plugins: { 'n8n-nodes-base': n8nNodesBase } },
	{
		files: ['package.json'],
		extends: [communityNodes],
		rules: {
			...n8nNodesBase.configs.community.rules,
			// Runtime dependencies are allowed for this unverified pack (see the comment at the top).
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: { extraFileExtensions: ['.json'] },
		},
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
);
