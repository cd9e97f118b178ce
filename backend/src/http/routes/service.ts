import type { FastifyInstance } from 'fastify';

import type { Engine } from '../../engine/engine';
import type { Metrics } from '../../metrics';
import type { Store } from '../../store/types';
import { openApi, VERSION } from '../openapi';

/** Health, info, job types, OpenAPI and metrics: what monitoring and clients read about the service itself. */
export function serviceRoutes(app: FastifyInstance, store: Store, engine: Engine<unknown>, metrics: Metrics) {
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
}
