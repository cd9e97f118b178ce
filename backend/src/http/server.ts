import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

import Fastify, { type FastifyInstance } from 'fastify';

import type { BackendConfig } from '../config';
import { ConflictError, InputError, type Engine } from '../engine/engine';
import type { Store } from '../store/types';
import { notesRoutes } from '../notes/routes';
import type { NotesStore } from '../notes/store';
import { requireToken } from './auth';
import { loggerOptions } from './logging';
import { apiMetrics } from './metrics';
import { eventRoutes } from './routes/events';
import { jobRoutes } from './routes/jobs';
import { serviceRoutes } from './routes/service';

export interface ApiOptions {
	config: BackendConfig;
	store: Store;
	engine: Engine<unknown>;
	/** how often the SSE stream looks for new events (they may come from another instance) */
	ssePollMs?: number;
	logger?: boolean | object;
	/** the notes index (SQLite store only); without it the /v1/notes routes answer 501 */
	notes?: NotesStore;
}

/** A caller's x-request-id is the request's id (logs and answers) when it is short and plain, else a new one. */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
function requestId(request: IncomingMessage): string {
	const sent = request.headers['x-request-id'];
	return typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
}

/**
 * CONNECT (a proxy tunnel) never reaches Fastify: node's HTTP server hands it to 'connect' listeners and, with none,
 * drops the connection without a word. Answer it like any method the API does not serve.
 */
function refuseConnect(app: FastifyInstance): void {
	const body = JSON.stringify({ error: 'method CONNECT not allowed: this is an HTTP API, not a proxy' });
	app.server.on('connect', (_request: IncomingMessage, socket: Duplex) => {
		socket.on('error', () => socket.destroy());
		socket.end(
			'HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD, POST\r\ncontent-type: application/json; charset=utf-8\r\n' +
				`content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
		);
	});
}

/** The HTTP API: /healthz is open (for container health checks); everything else needs the bearer token. */
export function createServer({
	config,
	store,
	engine,
	ssePollMs = 200,
	logger,
	notes,
}: ApiOptions): FastifyInstance {
	const app = Fastify({
		bodyLimit: config.bodyLimitBytes,
		logger:
			logger === false ? false : loggerOptions(config.logLevel, typeof logger === 'object' ? logger : {}),
		// a client holding a request open (slow headers or body) is cut with 408 after this long
		requestTimeout: config.requestTimeoutMs ?? 30_000,
		http: {
			headersTimeout: Math.min(config.requestTimeoutMs ?? 30_000, 15_000),
			// how often node checks those timeouts (its default, 30 s, would stretch a short bound)
			connectionsCheckingInterval: Math.min(1000, Math.ceil((config.requestTimeoutMs ?? 30_000) / 2)),
		},
		genReqId: requestId,
		ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
	});
	refuseConnect(app);
	const metrics = apiMetrics(app, store, engine);
	// first hook: every answer (a 401 too) names the id the log has the request under
	app.addHook('onRequest', async (request, reply) => {
		reply.header('x-request-id', request.id);
	});
	requireToken(app, config.token);
	app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown }, request, reply) => {
		if (error instanceof InputError)
			return reply.code(400).send({ error: error.message, details: error.details });
		if (error instanceof ConflictError) return reply.code(409).send({ error: error.message });
		const status =
			error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
		if (status >= 500) {
			// the details (SQL, paths, stack) go to the log only; the answer says where to find them
			request.log.error({ err: error }, 'request failed');
			return reply.code(status).send({
				error: `internal error; the backend's log has the details under request id ${request.id}`,
				requestId: request.id,
			});
		}
		return reply
			.code(status)
			.send({ error: error.message, ...(error.validation ? { details: error.validation } : {}) });
	});
	app.setNotFoundHandler((request, reply) =>
		reply.code(404).send({ error: `no route ${request.method} ${request.url.split('?')[0]}` }),
	);
	serviceRoutes(app, store, engine, metrics);
	jobRoutes(app, store, engine, metrics);
	eventRoutes(app, store, ssePollMs);
	notesRoutes(app, engine, notes);
	return app;
}
