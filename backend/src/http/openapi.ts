import type { Engine } from '../engine/engine';
import { errorSchema, idParams, jobSchema, listQuery, submitBody } from './schemas';

export const VERSION = '0.1.0';

/** The OpenAPI 3.1 description served at /openapi.json. */
export function openApi(engine: Engine<unknown>) {
	const secured = [{ bearer: [] }];
	const responses = (ok: object, codes: number[] = [401]) => ({
		...ok,
		...Object.fromEntries(
			codes.map((code) => [
				String(code),
				{ description: String(code), content: { 'application/json': { schema: errorSchema } } },
			]),
		),
	});
	const json = (schema: object, description = 'OK') => ({
		description,
		content: { 'application/json': { schema } },
	});
	const idParam = [{ name: 'id', in: 'path', required: true, schema: idParams.properties.id }];
	return {
		openapi: '3.1.0',
		info: {
			title: 'homelab-backend',
			version: VERSION,
			description: 'Durable jobs for provisioning, stack deploys and backups.',
		},
		components: {
			securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
			schemas: {
				Job: jobSchema,
				SubmitJob: submitBody,
				...Object.fromEntries(
					engine.types.map((definition) => [`${definition.type}-input`, definition.inputSchema]),
				),
			},
		},
		security: secured,
		paths: {
			'/healthz': {
				get: {
					security: [],
					summary: 'Liveness and store check',
					responses: { 200: json({ type: 'object' }) },
				},
			},
			'/metrics': {
				get: {
					summary: 'Prometheus metrics',
					responses: responses({ 200: { description: 'text/plain; version=0.0.4' } }),
				},
			},
			'/v1/info': {
				get: {
					summary: 'Version, store and job types',
					responses: responses({ 200: json({ type: 'object' }) }),
				},
			},
			'/v1/job-types': {
				get: {
					summary: 'Job types with their input schemas',
					responses: responses({ 200: json({ type: 'array' }) }),
				},
			},
			'/v1/jobs': {
				post: {
					summary: 'Submit a job (an idempotencyKey already used returns that job with 200)',
					requestBody: {
						required: true,
						content: { 'application/json': { schema: { $ref: '#/components/schemas/SubmitJob' } } },
					},
					responses: responses(
						{
							201: json({ $ref: '#/components/schemas/Job' }, 'Created'),
							200: json({ $ref: '#/components/schemas/Job' }),
						},
						[400, 401, 413],
					),
				},
				get: {
					summary: 'List jobs, newest first',
					parameters: Object.entries(listQuery.properties).map(([name, schema]) => ({
						name,
						in: 'query',
						schema,
					})),
					responses: responses(
						{
							200: json({
								type: 'object',
								properties: { jobs: { type: 'array', items: { $ref: '#/components/schemas/Job' } } },
							}),
						},
						[400, 401],
					),
				},
			},
			'/v1/jobs/{id}': {
				get: {
					summary: 'A job with its steps',
					parameters: idParam,
					responses: responses({ 200: json({ $ref: '#/components/schemas/Job' }) }, [401, 404]),
				},
			},
			'/v1/jobs/{id}/cancel': {
				post: {
					summary: 'Cancel a job',
					parameters: idParam,
					responses: responses({ 200: json({ $ref: '#/components/schemas/Job' }) }, [401, 404]),
				},
			},
			'/v1/jobs/{id}/events': {
				get: {
					summary:
						'Server-sent events: job-queued, job-started, step-started, progress, step-succeeded, step-retry, step-failed, job-succeeded/failed/cancelled; resumes after Last-Event-ID',
					parameters: idParam,
					responses: responses({ 200: { description: 'text/event-stream' } }, [401, 404]),
				},
			},
		},
	};
}
