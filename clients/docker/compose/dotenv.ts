import { ComposeError } from './errors';

/**
 * `.env` files as Docker Compose reads them (https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/#env-file-syntax):
 * `KEY=value` lines, `#` comments, optional `export `; unquoted values end at ` #` and are trimmed; single-quoted
 * values are literal; double-quoted values know the escapes `\n`, `\r`, `\t`, `\\` and `\"` (any other
 * backslash stays as written). formatDotEnv writes every value double-quoted with exactly those escapes, so
 * whatever it writes parseDotEnv reads back unchanged, including backslashes, tabs, newlines and quotes.
 */

/** Names a variable may have: what a shell and Compose both accept, so no key can carry "=", "#" or a line break. */
export const DOTENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** What parseDotEnv still reads (Compose also takes "." and "-" in names found in existing files). */
const READABLE_KEY = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*/;

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"' };
const ESCAPED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\', '"': '\\"' };

/** Reads a double-quoted value starting after its opening quote; undefined when the closing quote is missing. */
function readDoubleQuoted(text: string, from: number): string | undefined {
	let value = '';
	for (let index = from; index < text.length; index++) {
		const char = text[index];
		if (char === '"') return value;
		if (char === '\\' && index + 1 < text.length) {
			const next = text[index + 1];
			value += ESCAPES[next] ?? `\\${next}`;
			index++;
			continue;
		}
		value += char;
	}
	return undefined;
}

/** Parses .env text into variables; lines that are not `KEY=value` are skipped, like Compose's own reader. */
export function parseDotEnv(text: string): Record<string, string> {
	const result: Record<string, string> = {};
	const lines = text.split(/\r?\n/);
	for (let lineIndex = 0; lineIndex < lines.length; lineIndex++) {
		const line = lines[lineIndex].replace(/^\s+/, '');
		if (!line || line.startsWith('#')) continue;
		const match = READABLE_KEY.exec(line);
		if (!match) continue;
		const rest = line.slice(match[0].length);
		let value: string;
		if (rest.startsWith('"')) {
			// a quoted value may span lines (Compose allows it); join until the closing quote
			let joined = rest;
			let quoted = readDoubleQuoted(joined, 1);
			while (quoted === undefined && lineIndex + 1 < lines.length) {
				joined += `\n${lines[++lineIndex]}`;
				quoted = readDoubleQuoted(joined, 1);
			}
			value = quoted ?? rest.slice(1);
		} else if (rest.startsWith("'")) {
			const end = rest.indexOf("'", 1);
			value = end < 0 ? rest.slice(1) : rest.slice(1, end);
		} else {
			value = rest.replace(/\s+#.*$/, '').trim();
		}
		result[match[1]] = value;
	}
	return result;
}

/** Writes variables as .env text parseDotEnv (and Compose) read back unchanged; refuses names that are not. */
export function formatDotEnv(variables: Record<string, string>): string {
	let text = '';
	for (const [key, value] of Object.entries(variables)) {
		if (!DOTENV_KEY.test(key))
			throw new ComposeError(
				`${JSON.stringify(key.slice(0, 100))} is not a valid environment variable name`,
				'Use letters, digits and _ only, not starting with a digit (e.g. API_KEY)',
			);
		if (typeof value !== 'string' || value.includes('\0'))
			throw new ComposeError(
				`The value of ${key} is not text or contains a NUL character`,
				'Environment values are text without NUL characters',
			);
		text += `${key}="${value.replace(/[\n\r\t\\"]/g, (char) => ESCAPED[char])}"\n`;
	}
	return text;
}
