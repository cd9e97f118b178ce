import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import Ajv from 'ajv';

import { stackSchema } from '../../backend/src/jobs/deploy-stack';
import { createDockerOps } from '../../backend/src/services/docker';
import { ComposeError, formatDotEnv, parseDotEnv } from '../../clients/docker';

const HOSTILE: Record<string, string> = {
	BACKSLASHES: 'C:\\temp\\new\\table \\\\server\\share \\n is not a newline',
	TABS: 'a\tb\t',
	NEWLINES: 'line 1\nline 2\r\nline 3\n',
	QUOTES: `he said "hi" and 'bye'`,
	ESCAPED_QUOTE_END: 'ends with a backslash\\',
	INJECTED_LINE: 'x"\nINJECTED=1\n#',
	DOLLARS: '$HOME ${PATH} $$',
	HASH: 'value # not a comment',
	SPACES: '  padded  ',
	EMPTY: '',
	UNICODE: 'grüße \u2028 ✓',
	JSON_ESCAPES: '\\u0041 \\b \\f',
};

describe('.env written and read with one escaping (deploy-stack and the Docker node)', () => {
	const dirs: string[] = [];
	after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

	it('round-trips hostile values exactly', () => {
		assert.deepEqual(parseDotEnv(formatDotEnv(HOSTILE)), HOSTILE);
		// one line per variable: a value can never start a line of its own
		assert.equal(formatDotEnv(HOSTILE).split('\n').length, Object.keys(HOSTILE).length + 1);
	});

	it('reads Compose-style files: comments, export, single quotes literal, multi-line double quotes', () => {
		const text = [
			'# comment',
			'export A=plain value # trailing comment',
			"B='single \\n stays'",
			'C="two',
			'lines"',
			'D=#not-a-comment',
			'E="" # empty',
			'not a line',
		].join('\n');
		assert.deepEqual(parseDotEnv(text), {
			A: 'plain value',
			B: 'single \\n stays',
			C: 'two\nlines',
			D: '#not-a-comment',
			E: '',
		});
	});

	it('refuses keys that could inject lines, with a clear error', () => {
		for (const key of ['A=B', 'A\nB', 'A B', '#A', '1A', '', 'A.B'])
			assert.throws(
				() => formatDotEnv({ [key]: 'x' }),
				(error: unknown) =>
					error instanceof ComposeError && /is not a valid environment variable name/.test(error.message),
			);
		const validate = new Ajv().compile(stackSchema);
		const input = (env: Record<string, string>) => ({ host: 'lab', project: 'p', compose: 'x', env });
		assert.equal(validate(input({ OK_1: 'x' })), true);
		assert.equal(validate(input({ 'A\nINJECTED': 'x' })), false);
		assert.equal(validate(input({ 'A=B': 'x' })), false);
	});

	it("the backend's write step stores .env so its read step gets the same values; a bad key writes nothing", async () => {
		const projectsDir = mkdtempSync(path.join(os.tmpdir(), 'homelab-dotenv-'));
		dirs.push(projectsDir);
		const ops = createDockerOps({ hosts: { lab: { socketPath: '/nonexistent.sock' } }, projectsDir });
		const compose = 'services:\n  web:\n    image: busybox\n';
		await ops.writeProject('lab', 'hostile', compose, HOSTILE);
		const envFile = path.join(projectsDir, 'lab', 'hostile', '.env');
		assert.deepEqual(parseDotEnv(readFileSync(envFile, 'utf8')), HOSTILE);

		await assert.rejects(
			ops.writeProject('lab', 'badkey', compose, { 'A\nINJECTED': '1' }),
			/is not a valid environment variable name/,
		);
		assert.equal(existsSync(path.join(projectsDir, 'lab', 'badkey')), false);
	});
});
