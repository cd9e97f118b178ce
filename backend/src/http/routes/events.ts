import type { FastifyInstance } from 'fastify';

import { TERMINAL, type Store } from '../../store/types';
import { idParams } from '../schemas';
import { iso } from '../views';

/** A job's server-sent events: replays what the store has after the client's cursor, then follows. */
export function eventRoutes(app: FastifyInstance, store: Store, ssePollMs: number) {
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
}
