import type { FastifyInstance } from 'fastify';

import type { Engine } from '../../engine/engine';
import type { Metrics } from '../../metrics';
import type { JobRow, JobStatus, StepRow, Store } from '../../store/types';
import { decimalQuery } from '../query';
import { idParams, listQuery, submitBody } from '../schemas';
import type { SchemaNode } from '../../redact';
import { iso, jobView } from '../views';

/** Submit, list, get and cancel jobs. */
export function jobRoutes(app: FastifyInstance, store: Store, engine: Engine<unknown>, metrics: Metrics) {
	const view = (job: JobRow, steps?: StepRow[]) =>
		jobView(job, steps, engine.inputSchemaOf(job.type) as SchemaNode | undefined);
	app.post<{ Body: { type: string; input: unknown; callbackUrl?: string; idempotencyKey?: string } }>(
		'/v1/jobs',
		{ schema: { body: submitBody } },
		async (request, reply) => {
			const { job, created } = await engine.submit(request.body);
			if (created) metrics.inc('homelab_backend_jobs_submitted_total', { type: job.type });
			return reply.code(created ? 201 : 200).send(view(job));
		},
	);
	app.get<{ Querystring: { status?: JobStatus; type?: string; limit: number; before?: string } }>(
		'/v1/jobs',
		{ schema: { querystring: listQuery }, preValidation: decimalQuery('limit') },
		async (request) => {
			const { status, type, limit, before } = request.query;
			const jobs = await store.listJobs({
				status,
				type,
				limit,
				before: before ? Date.parse(before) : undefined,
			});
			return {
				jobs: jobs.map((job) => view(job)),
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
			return view(job, await store.steps(job.id));
		},
	);
	app.post<{ Params: { id: string } }>(
		'/v1/jobs/:id/cancel',
		{ schema: { params: idParams } },
		async (request, reply) => {
			const job = await engine.cancel(request.params.id);
			if (!job) return reply.code(404).send({ error: `no job ${request.params.id}` });
			return view(job);
		},
	);
}
