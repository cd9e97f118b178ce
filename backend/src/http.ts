import { timingSafeEqual } from 'node:crypto';

import Fastify, { type FastifyInstance } from 'fastify';

import { redactSecrets, REDACT_PATHS, type BackendConfig } from './config';
import { InputError, type Engine } from './engine/engine';
import { Metrics } from './metrics';
import { TERMINAL, type JobRow, type JobStatus, type StepRow, type Store } from './store/types';

export const VERSION = '0.1.0';

function tokenMatches(header: string | undefined, token: string): boolean {
	const presented = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
	const expected = Buffer.from(token);
	return presented.length === expected.length && timingSafeEqual(presented, expected);
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A job as the API shows it: secrets in the input redacted, callback URL never echoed. */
export function jobView(job: JobRow, steps?: StepRow[]) {
	return {
		id: job.id,
		type: job.type,
		status: job.status,
		input: redactSecrets(job.input),
		result: job.result,
		error: job.error,
		locks: job.lockKeys,
		cancelRequested: job.cancelRequested,
		claims: job.claims,
		callback: job.callbackUrl ? { state: job.callbackState, attempts: job.callbackAttempts } : null,
		createdAt: iso(job.createdAt),
		startedAt: iso(job.startedAt),
		finishedAt: iso(job.finishedAt),
		...(steps
			? {
					steps: steps.map((step) => ({
						index: step.idx,
						name: step.name,
						status: step.status,
						output: step.output,
						error: step.error,
						attempts: step.attempts,
						failures: step.failures,
						startedAt: iso(step.startedAt),
						finishedAt: iso(step.finishedAt),
					})),
				}
			: {}),
	};
}

const STATUSES: JobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
const idParams = {
	type: 'object',
	required: ['id'],
	properties: { id: { type: 'string', pattern: '^[0-9a-f-]{36}$' } },
} as const;
const errorSchema = { type: 'object', properties: { error: { type: 'string' } } };
const jobSchema = {
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
const submitBody = {
	type: 'object',
	required: ['type', 'input'],
	additionalProperties: false,
	properties: {
		type: { type: 'string', minLength: 1, maxLength: 64 },
		input: { type: 'object' },
		callbackUrl: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 4096 },
		idempotencyKey: { type: 'string', minLength: 1, maxLength: 200 },
	},
} as const;
const listQuery = {
	type: 'object',
	additionalProperties: false,
	properties: {
		status: { enum: STATUSES },
		type: { type: 'string', maxLength: 64 },
		limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
		before: { type: 'string', format: 'date-time' },
	},
} as const;

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

export interface ApiOptions {
	config: BackendConfig;
	store: Store;
	engine: Engine<unknown>;
	/** how often the SSE stream looks for new events (they may come from another instance) */
	ssePollMs?: number;
	logger?: boolean | object;
}

/** The HTTP API: /healthz is open (for container health checks); everything else needs the bearer token. */
export function createServer({
	config,
	store,
	engine,
	ssePollMs = 200,
	logger,
}: ApiOptions): FastifyInstance {
	const app = Fastify({
		bodyLimit: config.bodyLimitBytes,
		logger: logger ?? { level: config.logLevel, redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
		ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
	});
	const metrics = new Metrics();
	metrics.define('homelab_backend_http_requests_total', 'counter', 'HTTP requests by route and status');
	metrics.define('homelab_backend_jobs_submitted_total', 'counter', 'Jobs submitted through this instance');
	metrics.define('homelab_backend_jobs_finished_total', 'counter', 'Jobs this instance finished, by outcome');
	metrics.define('homelab_backend_steps_total', 'counter', 'Steps this instance ran, by outcome');
	metrics.define('homelab_backend_step_seconds_total', 'counter', 'Time spent in steps');
	metrics.define('homelab_backend_callbacks_total', 'counter', 'Callback deliveries, by outcome');
	metrics.define('homelab_backend_jobs', 'gauge', 'Jobs in the store by status');
	metrics.define('homelab_backend_jobs_running_here', 'gauge', 'Jobs running on this instance');
	metrics.define('process_resident_memory_bytes', 'gauge', 'Resident memory');
	metrics.collect(async () => {
		for (const [status, n] of Object.entries(await store.countByStatus()))
			metrics.set('homelab_backend_jobs', { status }, n);
		metrics.set('homelab_backend_jobs_running_here', {}, engine.runningCount);
		metrics.set('process_resident_memory_bytes', {}, process.memoryUsage.rss());
	});
	engine.on('step', (event) => {
		metrics.inc('homelab_backend_steps_total', { type: event.type, outcome: event.outcome });
		metrics.inc('homelab_backend_step_seconds_total', { type: event.type }, event.ms / 1000);
	});
	engine.on('job', (event) =>
		metrics.inc('homelab_backend_jobs_finished_total', { type: event.type, status: event.status }),
	);
	engine.on('callback', (event) =>
		metrics.inc('homelab_backend_callbacks_total', { outcome: event.delivered ? 'delivered' : 'failed' }),
	);

	app.addHook('onRequest', async (request, reply) => {
		if (request.url === '/healthz' || request.url.startsWith('/healthz?')) return;
		if (!tokenMatches(request.headers.authorization, config.token)) {
			reply.header('www-authenticate', 'Bearer');
			return reply.code(401).send({
				error: 'missing or wrong bearer token: send "Authorization: Bearer <HOMELAB_BACKEND_TOKEN>"',
			});
		}
	});
	app.addHook('onResponse', async (request, reply) => {
		metrics.inc('homelab_backend_http_requests_total', {
			method: request.method,
			route: request.routeOptions.url ?? 'unmatched',
			status: String(reply.statusCode),
		});
	});
	app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown }, request, reply) => {
		if (error instanceof InputError)
			return reply.code(400).send({ error: error.message, details: error.details });
		const status = error.statusCode ?? 500;
		if (status >= 500) request.log.error({ err: error }, 'request failed');
		return reply
			.code(status)
			.send({ error: error.message, ...(error.validation ? { details: error.validation } : {}) });
	});
	app.setNotFoundHandler((request, reply) =>
		reply.code(404).send({ error: `no route ${request.method} ${request.url.split('?')[0]}` }),
	);

	app.get('/healthz', async () => {
		const info = await store.info();
		return { status: 'ok', store: store.kind, migrations: Number(info.migrations), version: VERSION };
	});
	app.get('/v1/info', async () => ({
		...(await store.info()),
		version: VERSION,
		store: store.kind,
		worker: engine.workerId,
		jobTypes: engine.types.map((definition) => definition.type),
	}));
	app.get('/v1/job-types', async () =>
		engine.types.map((definition) => ({
			type: definition.type,
			description: definition.description,
			inputSchema: definition.inputSchema,
		})),
	);
	app.get('/openapi.json', async () => openApi(engine));
	app.get('/metrics', async (_request, reply) =>
		reply.type('text/plain; version=0.0.4; charset=utf-8').send(await metrics.render()),
	);

	app.post<{ Body: { type: string; input: unknown; callbackUrl?: string; idempotencyKey?: string } }>(
		'/v1/jobs',
		{ schema: { body: submitBody } },
		async (request, reply) => {
			const { job, created } = await engine.submit(request.body);
			if (created) metrics.inc('homelab_backend_jobs_submitted_total', { type: job.type });
			return reply.code(created ? 201 : 200).send(jobView(job));
		},
	);
	app.get<{ Querystring: { status?: JobStatus; type?: string; limit: number; before?: string } }>(
		'/v1/jobs',
		{ schema: { querystring: listQuery } },
		async (request) => {
			const { status, type, limit, before } = request.query;
			const jobs = await store.listJobs({
				status,
				type,
				limit,
				before: before ? Date.parse(before) : undefined,
			});
			return {
				jobs: jobs.map((job) => jobView(job)),
				next: jobs.length === limit ? iso(jobs[jobs.length - 1].createdAt) : null,
			};
		},
	);
	app.get<{ Params: { id: string } }>(
		'/v1/jobs/:id',
		{ schema: { params: idParams } },
		async (request, reply) => {
			const job = await store.getJob(request.params.id);
			if (!job) return reply.code(404).send({ error: `no job ${request.params.id}` });
			return jobView(job, await store.steps(job.id));
		},
	);
	app.post<{ Params: { id: string } }>(
		'/v1/jobs/:id/cancel',
		{ schema: { params: idParams } },
		async (request, reply) => {
			const job = await engine.cancel(request.params.id);
			if (!job) return reply.code(404).send({ error: `no job ${request.params.id}` });
			return jobView(job);
		},
	);
	app.get<{ Params: { id: string }; Querystring: { after?: number } }>(
		'/v1/jobs/:id/events',
		{
			schema: {
				params: idParams,
				querystring: { type: 'object', properties: { after: { type: 'integer', minimum: 0 } } },
			},
		},
		async (request, reply) => {
			const id = request.params.id;
			if (!(await store.getJob(id))) return reply.code(404).send({ error: `no job ${id}` });
			let after = Number(request.headers['last-event-id'] ?? request.query.after ?? 0) || 0;
			reply.hijack();
			const raw = reply.raw;
			raw.writeHead(200, {
				'content-type': 'text/event-stream; charset=utf-8',
				'cache-control': 'no-cache, no-transform',
				connection: 'keep-alive',
				'x-accel-buffering': 'no',
			});
			let open = true;
			request.raw.on('close', () => (open = false));
			let lastWrite = Date.now();
			while (open) {
				const events = await store.events(id, after);
				for (const event of events) {
					raw.write(
						`id: ${event.id}\nevent: ${event.kind}\ndata: ${JSON.stringify({ ...event.data, at: iso(event.at) })}\n\n`,
					);
					after = event.id;
					lastWrite = Date.now();
				}
				const job = await store.getJob(id);
				if (!job || (TERMINAL.includes(job.status) && events.length === 0)) break;
				if (Date.now() - lastWrite > 15_000) {
					raw.write(': keep-alive\n\n');
					lastWrite = Date.now();
				}
				await new Promise((resolve) => setTimeout(resolve, ssePollMs));
			}
			raw.end();
		},
	);
	return app;
}
