import { createHash } from 'node:crypto';

import { DOTENV_KEY } from '../../../clients/docker/compose/dotenv';
import { defineJob, PermanentError, type Json, type StepDefinition } from '../engine/types';
import type { ComposeServiceState, DockerOps, JobServices } from './ops';
import { need, pollUntil } from './util';

export interface StackSpec {
	/** Docker host name as configured in the backend (or an address) */
	host: string;
	project: string;
	/** docker-compose.yml content */
	compose: string;
	env?: Record<string, string>;
	build?: boolean;
	healthTimeoutMs?: number;
	pollMs?: number;
}

export const stackSchema = {
	type: 'object',
	required: ['host', 'project', 'compose'],
	additionalProperties: false,
	properties: {
		host: { type: 'string', minLength: 1, maxLength: 253 },
		project: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,62}$' },
		// writeOnly: never shown back by the API (redact.ts); a compose file may inline passwords, env values are
		// where stacks keep theirs
		compose: { type: 'string', minLength: 1, maxLength: 262144, writeOnly: true },
		// the names .env can hold: no "=", "#", spaces or line breaks that would inject other lines
		env: {
			type: 'object',
			propertyNames: { pattern: DOTENV_KEY.source },
			additionalProperties: { type: 'string', writeOnly: true },
		},
		build: { type: 'boolean' },
		healthTimeoutMs: { type: 'integer', minimum: 1000, maximum: 3_600_000 },
		pollMs: { type: 'integer', minimum: 10, maximum: 60_000 },
	},
};

export function stackHash(spec: Pick<StackSpec, 'compose' | 'env'>): string {
	return createHash('sha256')
		.update(spec.compose)
		.update(JSON.stringify(Object.entries(spec.env ?? {}).sort()))
		.digest('hex');
}

const settled = (services: ComposeServiceState[]) =>
	services.length > 0 &&
	services.every(
		(s) => s.state === 'running' && (s.health === undefined || s.health === 'healthy' || s.health === ''),
	);

/** The compose steps, shared by deploy-stack and provision-vm's optional deploy (`prefix` names them). */
export function stackSteps<I>(
	spec: (input: I, results: Record<string, Json>) => StackSpec,
	prefix = '',
	when?: (input: I) => boolean,
): Array<StepDefinition<I, JobServices>> {
	const docker = (services: JobServices): DockerOps => need(services, 'docker');
	const guard = when ? { when: (ctx: { input: I }) => when(ctx.input) } : {};
	return [
		{
			name: `${prefix}write`,
			...guard,
			check: async (ctx) => {
				const s = spec(ctx.input, ctx.results);
				const hash = stackHash(s);
				return (await docker(ctx.services).projectHash(s.host, s.project)) === hash ? { hash } : undefined;
			},
			run: async (ctx) => {
				const s = spec(ctx.input, ctx.results);
				return { hash: await docker(ctx.services).writeProject(s.host, s.project, s.compose, s.env) };
			},
		},
		{
			name: `${prefix}pull`,
			...guard,
			run: async (ctx) => {
				const s = spec(ctx.input, ctx.results);
				await docker(ctx.services).pull(s.host, s.project, ctx.signal);
				return true;
			},
			retry: { maxAttempts: 4 },
		},
		{
			name: `${prefix}build`,
			when: (ctx) => (when ? when(ctx.input) : true) && spec(ctx.input, ctx.results).build === true,
			run: async (ctx) => {
				const s = spec(ctx.input, ctx.results);
				await docker(ctx.services).build(s.host, s.project, ctx.signal);
				return true;
			},
		},
		{
			name: `${prefix}up`,
			...guard,
			run: async (ctx) => {
				const s = spec(ctx.input, ctx.results);
				await docker(ctx.services).up(s.host, s.project, ctx.signal);
				return true;
			},
		},
		{
			name: `${prefix}health-wait`,
			...guard,
			timeoutMs: 15 * 60_000,
			run: async (ctx) => {
				const s = spec(ctx.input, ctx.results);
				const deadline = Date.now() + (s.healthTimeoutMs ?? 300_000);
				const services = await pollUntil(
					async () => {
						const states = await docker(ctx.services).services(s.host, s.project);
						if (settled(states)) return states;
						if (Date.now() > deadline)
							throw new PermanentError(
								`services not healthy after ${s.healthTimeoutMs ?? 300_000} ms: ${states
									.map((x) => `${x.service}=${x.state}${x.health ? `/${x.health}` : ''}`)
									.join(', ')}`,
							);
						return undefined;
					},
					s.pollMs ?? 2000,
					ctx.signal,
				);
				return services as unknown as Json;
			},
		},
	];
}

/** deploy-stack: a compose project on a Docker host: write, pull (build), up, wait healthy, report states. */
export const deployStack = defineJob<StackSpec, JobServices>({
	type: 'deploy-stack',
	description: 'Deploys a Docker Compose project on a Docker host and waits until its services are healthy.',
	inputSchema: stackSchema,
	admit: (input, services) => services.docker?.hostProblem?.(input.host),
	locks: (input) => [`stack:${input.host}/${input.project}`],
	steps: () => stackSteps<StackSpec>((input) => input),
	result: (results, input) => ({
		host: input.host,
		project: input.project,
		hash: (results.write as { hash: string }).hash,
		services: results['health-wait'],
	}),
});
