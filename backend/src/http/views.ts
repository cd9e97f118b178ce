import { redactSecrets, viewOf, type SchemaNode } from '../redact';
import type { JobRow, StepRow } from '../store/types';

export const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * A job as the API shows it: input secrets redacted by its type's schema (`inputSchema`), callback URL (an n8n
 * resume URL carries a signature) never echoed, stored JSON depth-capped (never a stack overflow).
 */
export function jobView(job: JobRow, steps?: StepRow[], inputSchema?: SchemaNode) {
	return {
		id: job.id,
		type: job.type,
		status: job.status,
		input: redactSecrets(job.input, inputSchema),
		result: viewOf(job.result),
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
						output: viewOf(step.output),
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
