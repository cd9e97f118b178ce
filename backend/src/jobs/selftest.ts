import { sleep } from '../../../shared/timing';
import { defineJob, type Json } from '../engine/types';

export interface SelftestInput {
	steps: number;
	sleepMs?: number;
	/** returned in the result, to see it came through */
	echo?: Json;
}

/** selftest: N durable steps that only sleep, to check a deployment end to end (and to benchmark the journal). */
export const selftest = defineJob<SelftestInput, unknown>({
	type: 'selftest',
	description:
		'Runs N journaled steps that only wait; returns the echo. For checking a deployment and benchmarks.',
	inputSchema: {
		type: 'object',
		required: ['steps'],
		additionalProperties: false,
		properties: {
			steps: { type: 'integer', minimum: 1, maximum: 1000 },
			sleepMs: { type: 'integer', minimum: 0, maximum: 600_000 },
			echo: {},
		},
	},
	steps: (input) =>
		Array.from({ length: input.steps }, (_, i) => ({
			name: `step-${i + 1}`,
			run: async (ctx) => {
				if (ctx.input.sleepMs) await sleep(ctx.input.sleepMs, ctx.signal);
				return i + 1;
			},
		})),
	result: (results, input) => ({ steps: Object.keys(results).length, echo: input.echo ?? null }),
});
