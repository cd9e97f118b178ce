import Ajv, { type ErrorObject } from 'ajv';

import catalogSchema from '../../../schemas/catalog.schema.json';
import serviceSchema from '../../../schemas/service.schema.json';
import type { CatalogProblem } from './problems';
import { suggestion } from './suggest';
import { problemAt, type YamlFile, type YamlPath } from './yaml-file';

// The published JSON Schemas are the one definition of the format: editors check against them and so does the
// loader, which turns each schema error into a message with the position of the offending key or value.
const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const validators = { catalog: ajv.compile(catalogSchema), service: ajv.compile(serviceSchema) };

const SECRET_HINT =
	'Write a ${NAME} reference and put NAME=... in the secrets file (never the secret in Git)';

/** The YAML path of an Ajv instancePath, with numbers where the data holds lists. */
function toPath(data: unknown, pointer: string): YamlPath {
	const result: YamlPath = [];
	let current = data;
	for (const raw of pointer.split('/').slice(1)) {
		const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
		const step = Array.isArray(current) ? Number(part) : part;
		result.push(step);
		current = current && typeof current === 'object' ? (current as Record<string, unknown>)[part] : undefined;
	}
	return result;
}

const named = (at: YamlPath) => (at.length ? at.join('.') : 'the file');

function describe(yaml: YamlFile, error: ErrorObject): CatalogProblem | undefined {
	const at = toPath(yaml.data, error.instancePath);
	const params = error.params as Record<string, unknown>;
	const parent = (error.parentSchema ?? {}) as { properties?: Record<string, unknown> };
	switch (error.keyword) {
		case 'additionalProperties': {
			const key = String(params.additionalProperty);
			const known = Object.keys(parent.properties ?? {});
			return problemAt(
				yaml,
				[...at, key],
				`unknown key "${key}"${at.length ? ` in ${named(at)}` : ''}`,
				suggestion(key, known, 'keys'),
				true,
			);
		}
		case 'required':
			return problemAt(
				yaml,
				at,
				`${named(at)} lacks "${String(params.missingProperty)}"`,
				`Add ${String(params.missingProperty)}: (see docs/catalog.md)`,
			);
		case 'propertyNames':
			return problemAt(
				yaml,
				[...at, String(params.propertyName)],
				`"${String(params.propertyName)}" is not a usable name in ${named(at)}`,
				'Use lowercase letters, digits and "-", starting with a letter or digit',
				true,
			);
		case 'enum':
			return problemAt(
				yaml,
				at,
				`${named(at)} is "${String(error.data)}"`,
				`Use one of: ${(params.allowedValues as unknown[]).join(', ')}`,
			);
		case 'const':
			return problemAt(
				yaml,
				at,
				`${named(at)} must be ${String(params.allowedValue)}`,
				'Write the value shown',
			);
		case 'pattern':
			if (error.schemaPath.includes('secretRef'))
				// never echo the value: it is probably the secret itself
				return problemAt(yaml, at, `${named(at)} holds a secret written inline`, SECRET_HINT);
			return problemAt(
				yaml,
				at,
				`${named(at)} "${String(error.data)}" is not in the expected form`,
				`It must match ${String(params.pattern)} (see docs/catalog.md)`,
			);
		default:
			return problemAt(yaml, at, `${named(at)} ${error.message ?? 'is not valid'}`, 'See docs/catalog.md');
	}
}

/** Checks a parsed file against its schema; returns whether it passed (problems are appended). */
export function validateShape(
	kind: keyof typeof validators,
	yaml: YamlFile,
	problems: CatalogProblem[],
): boolean {
	const validate = validators[kind];
	if (validate(yaml.data ?? {})) return true;
	const seen = new Set<string>();
	for (const error of validate.errors ?? []) {
		// a bad property name is reported once, by its propertyNames error, not also by the inner pattern
		if (error.propertyName !== undefined) continue;
		const problem = describe(yaml, error);
		const key = problem && `${problem.line}:${problem.column}:${problem.message}`;
		if (problem && key && !seen.has(key)) {
			seen.add(key);
			problems.push(problem);
		}
	}
	return false;
}
