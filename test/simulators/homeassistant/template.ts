// A very small stand-in for Home Assistant's Jinja2 templates (POST /api/template, docs/api/rest
// "POST /api/template"): text with `{{ expr }}` blocks, where expr is states('id'), state_attr('id', 'attr'),
// is_state('id', 'value'), a quoted string or a number, optionally piped through `| upper`, `| lower`,
// `| int`, `| float`. Anything else is a TemplateError, which the REST API answers with 400.

export class TemplateError extends Error {}

export interface TemplateStates {
	state(entityId: string): { state: string; attributes: Record<string, unknown> } | undefined;
}

const CALL = /^(states|state_attr|is_state)\(\s*(.*?)\s*\)$/;

function literal(raw: string): string {
	const match = /^'([^']*)'$|^"([^"]*)"$/.exec(raw.trim());
	if (!match) throw new TemplateError(`expected a quoted string, got ${raw.trim() || 'nothing'}`);
	return match[1] ?? match[2];
}

function show(value: unknown): string {
	if (value === null) return 'None';
	if (typeof value === 'boolean') return value ? 'True' : 'False';
	return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
}

function evaluate(expression: string, states: TemplateStates): unknown {
	const [head, ...filters] = expression.split('|').map((part) => part.trim());
	let value: unknown;
	const call = CALL.exec(head);
	if (call) {
		const args = call[2] ? call[2].split(',').map(literal) : [];
		const entity = states.state(args[0] ?? '');
		if (call[1] === 'states') value = entity?.state ?? 'unknown';
		else if (call[1] === 'state_attr') value = entity?.attributes[args[1] ?? ''] ?? null;
		else value = entity?.state === args[1];
	} else if (/^-?\d+(\.\d+)?$/.test(head)) value = Number(head);
	else if (/^'[^']*'$|^"[^"]*"$/.test(head)) value = literal(head);
	else throw new TemplateError(`UndefinedError: '${head}' is undefined`);
	for (const filter of filters) {
		if (filter === 'upper') value = show(value).toUpperCase();
		else if (filter === 'lower') value = show(value).toLowerCase();
		else if (filter === 'int') value = Math.trunc(Number(show(value))) || 0;
		else if (filter === 'float') value = Number(show(value)) || 0;
		else throw new TemplateError(`TemplateAssertionError: No filter named '${filter}'.`);
	}
	return value;
}

export function renderTemplate(template: string, states: TemplateStates): string {
	let output = '';
	let rest = template;
	while (rest.length) {
		const start = rest.indexOf('{{');
		if (start < 0) {
			if (rest.includes('}}')) throw new TemplateError("TemplateSyntaxError: unexpected '}'");
			output += rest;
			break;
		}
		const end = rest.indexOf('}}', start);
		if (end < 0) throw new TemplateError("TemplateSyntaxError: unexpected end of template, expected '}}'");
		output += rest.slice(0, start);
		const value = evaluate(rest.slice(start + 2, end).trim(), states);
		output += show(value);
		rest = rest.slice(end + 2);
	}
	return output;
}
