import type { FastifyInstance } from 'fastify';

import { TERMINAL, type Store } from '../../store/types';
import { decimalQuery } from '../query';
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
			preValidation: decimalQuery('after'),
		},
		async (request, reply) => {
			const id = request.params.id;
			if (!(await store.getJob(id))) return reply.code(404).send({ error: `no job ${id}` });
			// Last-Event-ID is a cursor like ?after: an event id, or the request is refused (never "from the start")
			const lastEventId = request.headers['last-event-id'];
			if (lastEventId !== undefined && !/^\d{1,15}$/.test(String(lastEventId)))
				return reply.code(400).send({ error: 'Last-Event-ID must be an event id (a non-negative integer)' });
			let after = lastEventId !== undefined ? Number(lastEventId) : (request.query.after ?? 0);
			reply.hijack();
			const raw = reply.raw;
			raw.writeHead(200, {
				'content-type': 'text/event-stream; charset=utf-8',
				'cache-control': 'no-cache, no-transform',
				connection: 'keep-alive',
				'x-accel-buffering': 'no',
				'x-request-id': request.id,
			});
			// the client sees the stream open now, not when the next event comes
			raw.flushHeaders();
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
