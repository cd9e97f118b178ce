import { readFileSync } from 'node:fs';
import path from 'node:path';

import { isNode, LineCounter, parseDocument, stringify } from 'yaml';

import { ComposeError } from '../../../clients/docker/compose/errors';
import { interpolate } from '../../../clients/docker/compose/interpolate';
import { parseCompose, type ComposeProject } from '../../../clients/docker/compose/model';
import type { PublishedPort } from './model';
import type { CatalogProblem } from './problems';
import { MASK, type Secrets } from './secrets';

export interface LoadedCompose {
	project: ComposeProject;
	rendered: string;
	published: PublishedPort[];
}

export interface ComposeInput {
	root: string;
	/** compose file relative to the catalog root */
	file: string;
	project: string;
	/** the service's env: real values (for the deploy's own check) and masked ones (for output) */
	env: Record<string, string>;
	maskedEnv: Record<string, string>;
	secrets: Secrets;
	requireSecrets: boolean;
}

// ${NAME} or $NAME without a default (${NAME:-x}, ${NAME-x}, ${NAME:+x}, ${NAME+x}): must come from env or secrets
const VARIABLE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

function lineAndColumn(text: string, index: number): { line: number; column: number } {
	const before = text.slice(0, index).split('\n');
	return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** Variables the compose text uses that env does not give: resolved as secrets, missing ones reported. */
function composeSecrets(input: ComposeInput, text: string, problems: CatalogProblem[]) {
	const real: Record<string, string> = {};
	const masked: Record<string, string> = {};
	for (const match of text.matchAll(VARIABLE)) {
		const name = match[1] ?? match[3];
		if (!name || name in input.env || /^:?[-+]/.test(match[2] ?? '')) continue;
		const value = input.secrets.get(name);
		if (value !== undefined) {
			real[name] = value;
			masked[name] = MASK;
		} else if (input.requireSecrets && !(name in real)) {
			real[name] = '';
			problems.push({
				file: input.file,
				...lineAndColumn(text, match.index),
				message: `variable ${name} is neither in the service's env: nor a known secret`,
				hint: `Add ${name} to env: in service.yaml, or ${name}=... to the secrets file`,
			});
		}
	}
	return { real, masked };
}

function stripPosition(message: string, file: string): string {
	return message
		.replace(`${file}: `, '')
		.replace(/ \(line \d+, column \d+\)$/, '')
		.replace(/ at line \d+, column \d+/, '');
}

/** Each published port of each compose service, with where it is written. */
function publishedPorts(project: ComposeProject, text: string, file: string): PublishedPort[] {
	const counter = new LineCounter();
	const doc = parseDocument(text, { lineCounter: counter });
	const result: PublishedPort[] = [];
	for (const service of project.services)
		service.ports.forEach((entry, index) => {
			// "[ip:]host:container/proto"; an entry without a host port publishes nothing fixed
			const match = /^(?:(\[[^\]]+\]|[\d.]+):)?(?:(\d+)(?:-(\d+))?:)(\d+)(?:-\d+)?\/(\w+)$/.exec(entry);
			if (!match) return;
			const node = doc.getIn(['services', service.name, 'ports', index], true);
			const position = isNode(node) && node.range ? counter.linePos(node.range[0]) : undefined;
			const first = Number(match[2]);
			const last = match[3] ? Number(match[3]) : first;
			for (let port = first; port <= last; port++)
				result.push({
					composeService: service.name,
					hostPort: port,
					containerPort: Number(match[4]) + (port - first),
					protocol: match[5],
					hostIp: match[1],
					file,
					at: { line: position?.line, column: position?.col },
				});
		});
	return result;
}

/** `docker compose config` for output: the file after interpolation, with secrets as the mask. */
function render(text: string, project: string, variables: Record<string, string>, file: string): string {
	const walk = (value: unknown): unknown => {
		if (typeof value === 'string') return interpolate(value, variables, file);
		if (Array.isArray(value)) return value.map(walk);
		if (value && typeof value === 'object')
			return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, walk(inner)]));
		return value;
	};
	const doc = parseDocument(text, { merge: true });
	const data = walk(doc.toJS({ maxAliasCount: 100 })) as Record<string, unknown>;
	return stringify({ ...data, name: project }, { sortMapEntries: true, lineWidth: 0 });
}

/**
 * Reads a service's compose file and checks it exactly as the deploy will (same model, same variables); problems
 * carry the compose file's line and column.
 */
export function loadCompose(input: ComposeInput, problems: CatalogProblem[]): LoadedCompose | undefined {
	let text: string;
	try {
		text = readFileSync(path.join(input.root, input.file), 'utf8');
	} catch {
		problems.push({
			file: input.file,
			message: 'cannot be read',
			hint: 'Add the compose file beside service.yaml, or point compose: at it',
		});
		return undefined;
	}
	const before = problems.length;
	const fromSecrets = composeSecrets(input, text, problems);
	if (problems.length > before) return undefined;
	try {
		const project = parseCompose(text, {
			projectName: input.project,
			variables: { ...fromSecrets.real, ...input.env },
			source: input.file,
		});
		const rendered = render(text, input.project, { ...fromSecrets.masked, ...input.maskedEnv }, input.file);
		return { project, rendered, published: publishedPorts(project, text, input.file) };
	} catch (error) {
		if (!(error instanceof ComposeError)) throw error;
		problems.push({
			file: input.file,
			line: error.line,
			column: error.column,
			message: `the deploy cannot use this compose file: ${stripPosition(error.message, input.file)}`,
			hint: error.hint,
		});
		return undefined;
	}
}
