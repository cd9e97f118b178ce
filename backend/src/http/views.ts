import { redactSecrets } from '../redact';
import type { JobRow, StepRow } from '../store/types';

export const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A job as the API shows it: secrets in the input redacted, callback URL never echoed. */
export function jobView(job: JobRow, steps?: StepRow[]) {
	return {
		id: job.id,
		type: job.type,
		status: job.status,
		input: redactSecrets(job.input),
		result: job.result,
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
						output: step.output,
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
