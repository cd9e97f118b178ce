import { realpath } from 'node:fs/promises';

import type { FastifyInstance } from 'fastify';

import type { Engine } from '../engine/engine';
import { jobView } from '../http/views';
import { NOTES_INDEX } from './job';
import { ftsExpression, searchNotes } from './search';
import type { NotesStore } from './store';

const indexBody = {
	type: 'object',
	required: ['vault'],
	additionalProperties: false,
	properties: {
		vault: { type: 'string', minLength: 1, maxLength: 4096 },
		idempotencyKey: { type: 'string', minLength: 1, maxLength: 200 },
	},
} as const;

const searchQuery = {
	type: 'object',
	required: ['q'],
	additionalProperties: false,
	properties: {
		q: { type: 'string', minLength: 1, maxLength: 1000 },
		limit: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
		vault: { type: 'string', minLength: 1, maxLength: 4096 },
	},
} as const;

/**
 * POST /v1/notes/index (a durable notes-index job: follow it on /v1/jobs/:id/events) and GET /v1/notes/search.
 * Without a notes index (the PostgreSQL store, for now) both answer 501 saying so.
 */
export function notesRoutes(app: FastifyInstance, engine: Engine<unknown>, notes: NotesStore | undefined) {
	const unavailable =
		'notes need the SQLite store (full-text search with FTS5); this backend runs on PostgreSQL, where notes are not built yet';
	app.post<{ Body: { vault: string; idempotencyKey?: string } }>(
		'/v1/notes/index',
		{ schema: { body: indexBody } },
		async (request, reply) => {
			if (!notes) return reply.code(501).send({ error: unavailable });
			const { job, created } = await engine.submit({
				type: NOTES_INDEX,
				input: { vault: request.body.vault },
				idempotencyKey: request.body.idempotencyKey,
			});
			return reply.code(created ? 202 : 200).send(jobView(job));
		},
	);
	app.get<{ Querystring: { q: string; limit: number; vault?: string } }>(
		'/v1/notes/search',
		{ schema: { querystring: searchQuery } },
		async (request, reply) => {
			if (!notes) return reply.code(501).send({ error: unavailable });
			const { q, limit, vault } = request.query;
			if (!ftsExpression(q))
				return reply.code(400).send({ error: 'q has no words to search for (letters or digits)' });
			// vaults are keyed by their real path (what the indexer resolved)
			const key = vault ? await realpath(vault).catch(() => vault) : undefined;
			const hits = await searchNotes(notes, q, { limit, vault: key });
			return { query: q, mode: 'full-text', hits };
		},
	);
}
