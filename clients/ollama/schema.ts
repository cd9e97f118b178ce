// Structured output: Ollama constrains generation with a JSON schema given as `format` (docs/api.md,
// "Structured outputs"), but a model can still stop early (num_predict, context full) or a schema feature the
// grammar ignores can be violated. So the answer is parsed and validated here; callers retry on failure.
// The validator covers the JSON-schema keywords Ollama's grammar understands plus common bounds; unknown
// keywords are ignored, as JSON Schema says.

import { splitList } from '../../shared/values';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface JsonSchema {
	type?: string | string[];
	properties?: Record<string, JsonSchema>;
	required?: string[];
	additionalProperties?: boolean | JsonSchema;
	items?: JsonSchema;
	enum?: unknown[];
	const?: unknown;
	minimum?: number;
	maximum?: number;
	minLength?: number;
	maxLength?: number;
	minItems?: number;
	maxItems?: number;
	pattern?: string;
	description?: string;
	anyOf?: JsonSchema[];
	[keyword: string]: unknown;
}

function typeOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
	return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
	const actual = typeOf(value);
	if (type === 'number') return actual === 'number' || actual === 'integer';
	return actual === type;
}

/** Every way `value` breaks `schema`, as "$.path: problem" lines; empty when it conforms. */
export function validateAgainstSchema(value: unknown, schema: JsonSchema, path = '$'): string[] {
	const problems: string[] = [];
	if (schema.anyOf?.length) {
		const branches = schema.anyOf.map((branch) => validateAgainstSchema(value, branch, path));
		if (branches.every((branch) => branch.length > 0)) {
			problems.push(`${path}: matches none of the ${schema.anyOf.length} allowed shapes (${branches[0][0]})`);
		}
	}
	if (schema.type !== undefined) {
		const types = Array.isArray(schema.type) ? schema.type : [schema.type];
		if (!types.some((type) => matchesType(value, type))) {
			problems.push(`${path}: expected ${types.join(' or ')}, got ${typeOf(value)}`);
			return problems;
		}
	}
	if (schema.enum && !schema.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))) {
		problems.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
	}
	if (schema.const !== undefined && JSON.stringify(schema.const) !== JSON.stringify(value)) {
		problems.push(`${path}: must be ${JSON.stringify(schema.const)}`);
	}
	if (typeof value === 'number') {
		if (schema.minimum !== undefined && value < schema.minimum)
			problems.push(`${path}: ${value} is below the minimum ${schema.minimum}`);
		if (schema.maximum !== undefined && value > schema.maximum)
			problems.push(`${path}: ${value} is above the maximum ${schema.maximum}`);
	}
	if (typeof value === 'string') {
		if (schema.minLength !== undefined && value.length < schema.minLength)
			problems.push(`${path}: shorter than ${schema.minLength} characters`);
		if (schema.maxLength !== undefined && value.length > schema.maxLength)
			problems.push(`${path}: longer than ${schema.maxLength} characters`);
		if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value))
			problems.push(`${path}: does not match the pattern ${schema.pattern}`);
	}
	if (Array.isArray(value)) {
		if (schema.minItems !== undefined && value.length < schema.minItems)
			problems.push(`${path}: fewer than ${schema.minItems} items`);
		if (schema.maxItems !== undefined && value.length > schema.maxItems)
			problems.push(`${path}: more than ${schema.maxItems} items`);
		if (schema.items) {
			value.forEach((entry, index) => {
				problems.push(...validateAgainstSchema(entry, schema.items as JsonSchema, `${path}[${index}]`));
			});
		}
	}
	if (typeOf(value) === 'object') {
		const record = value as Record<string, unknown>;
		for (const key of schema.required ?? []) {
			if (!(key in record)) problems.push(`${path}: missing required property "${key}"`);
		}
		for (const [key, entry] of Object.entries(record)) {
			const propertySchema = schema.properties?.[key];
			if (propertySchema) {
				problems.push(...validateAgainstSchema(entry, propertySchema, `${path}.${key}`));
			} else if (schema.additionalProperties === false) {
				problems.push(`${path}: unexpected property "${key}"`);
			} else if (typeof schema.additionalProperties === 'object') {
				problems.push(...validateAgainstSchema(entry, schema.additionalProperties, `${path}.${key}`));
			}
		}
	}
	return problems;
}

export type FieldType =
	| 'string'
	| 'number'
	| 'integer'
	| 'boolean'
	| 'stringArray'
	| 'numberArray'
	| 'object';

export interface OutputField {
	name: string;
	type: FieldType;
	description?: string;
	required?: boolean;
	/** Comma-separated allowed values for string fields. */
	enumValues?: string;
}

/** The JSON schema for an object with the given fields (the node's "Define Fields" mode). */
export function schemaFromFields(fields: OutputField[]): JsonSchema {
	const properties: Record<string, JsonSchema> = {};
	const required: string[] = [];
	for (const field of fields) {
		const name = field.name.trim();
		if (!name) throw new Error('every output field needs a name');
		if (name in properties) throw new Error(`the output field "${name}" is defined twice`);
		let schema: JsonSchema;
		switch (field.type) {
			case 'stringArray':
				schema = { type: 'array', items: { type: 'string' } };
				break;
			case 'numberArray':
				schema = { type: 'array', items: { type: 'number' } };
				break;
			case 'object':
				schema = { type: 'object' };
				break;
			case 'string':
			case 'number':
			case 'integer':
			case 'boolean':
				schema = { type: field.type };
				break;
		}
		const values = splitList(field.enumValues);
		if (values.length && field.type === 'string') schema.enum = values;
		if (field.description) schema.description = field.description;
		properties[name] = schema;
		if (field.required !== false) required.push(name);
	}
	if (fields.length === 0) throw new Error('define at least one output field');
	return { type: 'object', properties, required, additionalProperties: false };
}

export type StructuredResult =
	| { ok: true; value: JsonValue }
	| { ok: false; problems: string[]; raw: string };

/** Parses model output as JSON (tolerating a ```json fence) and validates it against the schema. */
export function parseStructured(raw: string, schema: JsonSchema | undefined): StructuredResult {
	const text = raw
		.trim()
		.replace(/^```(?:json)?\s*/i, '')
		.replace(/\s*```$/, '');
	let value: JsonValue;
	try {
		value = JSON.parse(text) as JsonValue;
	} catch (error) {
		return { ok: false, problems: [`not valid JSON: ${(error as Error).message}`], raw };
	}
	const problems = schema ? validateAgainstSchema(value, schema) : [];
	return problems.length ? { ok: false, problems, raw } : { ok: true, value };
}
