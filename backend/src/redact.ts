/**
 * What the API and the logs may show of stored JSON (job inputs, results, step outputs).
 *
 * Secrets are found by the job type's input schema: a property marked `writeOnly: true` (JSON Schema's "sent,
 * never read back") is replaced wherever the schema reaches it, e.g. every value of deploy-stack's `env`. Key
 * names (`password`, `token`, ...) are a second net for job types whose schemas mark nothing.
 *
 * Every walk here is iterative and depth-capped: what is already stored (a job submitted before input depth
 * was bounded) must never overflow the stack of a reader.
 */

const SECRET_KEY = /pass(word)?|secret|token|signature|private/i;
export const REDACTED = '[redacted]';
export const TOO_DEEP = '[nested too deep]';
/** deeper than this a view shows TOO_DEEP instead (inputs are bounded far below it at submit) */
export const VIEW_MAX_DEPTH = 64;

/** The part of a JSON schema redaction follows. */
export interface SchemaNode {
	writeOnly?: boolean;
	properties?: Record<string, SchemaNode>;
	additionalProperties?: SchemaNode | boolean;
	items?: SchemaNode | boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null;

function childSchema(schema: SchemaNode | undefined, key: string | number): SchemaNode | undefined {
	if (!schema) return undefined;
	if (typeof key === 'number') return isObject(schema.items) ? schema.items : undefined;
	if (schema.properties && Object.hasOwn(schema.properties, key)) return schema.properties[key];
	return isObject(schema.additionalProperties) ? schema.additionalProperties : undefined;
}

interface Frame {
	source: unknown;
	schema: SchemaNode | undefined;
	depth: number;
	put: (value: unknown) => void;
}

/** own data property, even for a key like `__proto__` (a plain assignment would set the prototype) */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
	Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A copy of `value` for an answer or a log line: nesting below `maxDepth` cut, and with `redact`, what the
 * schema marks writeOnly and secret-looking keys replaced.
 */
export function viewOf(
	value: unknown,
	options: { schema?: SchemaNode; redact?: boolean; maxDepth?: number } = {},
): unknown {
	const maxDepth = options.maxDepth ?? VIEW_MAX_DEPTH;
	let root: unknown;
	const stack: Frame[] = [{ source: value, schema: options.schema, depth: 0, put: (v) => (root = v) }];
	while (stack.length) {
		const { source, schema, depth, put } = stack.pop()!;
		if (options.redact && schema?.writeOnly) put(REDACTED);
		else if (!isObject(source)) put(source);
		else if (depth >= maxDepth) put(TOO_DEEP);
		else if (Array.isArray(source)) {
			const copy: unknown[] = new Array<unknown>(source.length);
			put(copy);
			source.forEach((inner, index) =>
				stack.push({
					source: inner,
					schema: childSchema(schema, index),
					depth: depth + 1,
					put: (v) => (copy[index] = v),
				}),
			);
		} else {
			const copy: Record<string, unknown> = {};
			put(copy);
			for (const [key, inner] of Object.entries(source)) {
				if (options.redact && SECRET_KEY.test(key)) define(copy, key, REDACTED);
				else
					stack.push({
						source: inner,
						schema: childSchema(schema, key),
						depth: depth + 1,
						put: (v) => define(copy, key, v),
					});
			}
		}
	}
	return root;
}

/** a copy of `value` with what `schema` marks writeOnly and secret-looking keys replaced */
export function redactSecrets(value: unknown, schema?: SchemaNode): unknown {
	return viewOf(value, { schema, redact: true });
}
