import type { FastifyInstance } from 'fastify';

import type { Engine } from '../engine/engine';
import { Metrics } from '../metrics';
import type { Store } from '../store/types';

/** The Prometheus metrics this instance keeps: HTTP requests, jobs and steps it ran, callbacks, store counts. */
export function apiMetrics(app: FastifyInstance, store: Store, engine: Engine<unknown>): Metrics {
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
	app.addHook('onResponse', async (request, reply) => {
		metrics.inc('homelab_backend_http_requests_total', {
			method: request.method,
			route: request.routeOptions.url ?? 'unmatched',
			status: String(reply.statusCode),
		});
	});
	return metrics;
}
