import type { JobStatus } from '../store/types';

/** no NUL byte: PostgreSQL's text refuses one (which answered 500), and no name or key needs it */
const NO_NUL = '^[^\\u0000]*$';

/** JSON schemas of the API's bodies, queries and answers (validation and /openapi.json). */
export const STATUSES: JobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
export const idParams = {
	type: 'object',
	required: ['id'],
	properties: { id: { type: 'string', pattern: '^[0-9a-f-]{36}$' } },
} as const;
export const errorSchema = { type: 'object', properties: { error: { type: 'string' } } };
export const jobSchema = {
	type: 'object',
	additionalProperties: true,
	properties: {
		id: { type: 'string' },
		type: { type: 'string' },
		status: { enum: STATUSES },
		result: {},
		error: { type: ['string', 'null'] },
	},
};
export const submitBody = {
	type: 'object',
	required: ['type', 'input'],
	additionalProperties: false,
	properties: {
		type: { type: 'string', minLength: 1, maxLength: 64, pattern: NO_NUL },
		input: { type: 'object' },
		callbackUrl: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 4096 },
		idempotencyKey: { type: 'string', minLength: 1, maxLength: 200, pattern: NO_NUL },
	},
} as const;
export const listQuery = {
	type: 'object',
	additionalProperties: false,
	properties: {
		status: { enum: STATUSES },
		type: { type: 'string', maxLength: 64, pattern: NO_NUL },
		limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
		before: { type: 'string', format: 'date-time' },
	},
} as const;
