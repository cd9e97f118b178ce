import { ComposeError } from './errors';

/**
 * Compose-file variable interpolation (https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/):
 * `$VAR`, `${VAR}`, `${VAR:-default}` (unset or empty), `${VAR-default}` (unset), `${VAR:?error}`, `${VAR?error}`,
 * `${VAR:+alt}`, `${VAR+alt}`, and `$$` for a literal `$`. Only the variables given are visible: never the
 * environment of the n8n process.
 */
export function interpolate(text: string, variables: Record<string, string>, where: string): string {
	let result = '';
	for (let index = 0; index < text.length; index++) {
		const char = text[index];
		if (char !== '$') {
			result += char;
			continue;
		}
		const next = text[index + 1];
		if (next === '$') {
			result += '$';
			index++;
			continue;
		}
		if (next === '{') {
			const end = findClose(text, index + 2);
			if (end < 0) throw new ComposeError(`Unclosed "\${" in ${where}`, 'Close the variable with "}"');
			result += expand(text.slice(index + 2, end), variables, where);
			index = end;
			continue;
		}
		const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(index + 1));
		if (match) {
			result += variables[match[0]] ?? '';
			index += match[0].length;
			continue;
		}
		result += char;
	}
	return result;
}

function findClose(text: string, from: number): number {
	let depth = 1;
	for (let index = from; index < text.length; index++) {
		if (text[index] === '{' && text[index - 1] === '$') depth++;
		else if (text[index] === '}' && --depth === 0) return index;
	}
	return -1;
}

function expand(body: string, variables: Record<string, string>, where: string): string {
	const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(body);
	if (!match)
		throw new ComposeError(
			`Invalid variable "\${${body}}" in ${where}`,
			'Variable names are letters, digits and _',
		);
	const [, name, operator, argument = ''] = match;
	const value = variables[name];
	const set = value !== undefined;
	const nonEmpty = set && value !== '';
	const arg = () => interpolate(argument, variables, where);
	switch (operator) {
		case undefined:
			return value ?? '';
		case ':-':
			return nonEmpty ? value : arg();
		case '-':
			return set ? value : arg();
		case ':?':
		case '?':
			if (operator === ':?' ? nonEmpty : set) return value;
			throw new ComposeError(
				`Required variable ${name} is missing in ${where}${argument ? `: ${arg()}` : ''}`,
				`Set ${name} in the stack's environment variables`,
			);
		case ':+':
			return nonEmpty ? arg() : '';
		case '+':
			return set ? arg() : '';
		default:
			return value ?? '';
	}
}
