import type { Claim, JobRow } from '../store/types';
import type { EngineHost } from './host';
import { messageOf } from './timing';

/** Delivers finished jobs' callbacks (POST of callbackBody), recording each attempt and its backoff. */
export class CallbackSender<S> {
	constructor(private readonly host: EngineHost<S>) {}

	async deliver({ job, token }: Claim): Promise<void> {
		const { store, options, logger } = this.host;
		const attempt = job.callbackAttempts + 1;
		try {
			const status = await this.host.callbackTargets.post(
				job.callbackUrl!,
				JSON.stringify(callbackBody(job)),
				AbortSignal.timeout(15_000),
			);
			// a redirect is not followed: it would re-post the job result wherever the target points
			if (status >= 300 && status < 400) throw new Error(`HTTP ${status}: redirects are not followed`);
			if (status < 200 || status >= 300) throw new Error(`HTTP ${status}`);
			await store.finishCallback(job.id, token, { delivered: true });
			this.host.emit('callback', { delivered: true });
			logger.info({ jobId: job.id, attempt }, 'callback delivered');
		} catch (error) {
			const max = options.callbackMaxAttempts ?? 10;
			const first = options.callbackInitialDelayMs ?? 1000;
			const retryAt = attempt >= max ? null : Date.now() + Math.min(300_000, first * 2 ** (attempt - 1));
			await store
				.finishCallback(job.id, token, { delivered: false, retryAt, error: messageOf(error) })
				.catch(() => undefined);
			this.host.emit('callback', { delivered: false });
			logger.warn(
				{ jobId: job.id, attempt, err: messageOf(error), gaveUp: retryAt === null },
				'callback failed',
			);
		}
	}
}

/** What a callback carries (never the input: it may hold secrets). */
export function callbackBody(job: JobRow): Record<string, unknown> {
	return {
		jobId: job.id,
		type: job.type,
		status: job.status,
		result: job.result,
		error: job.error,
		finishedAt: job.finishedAt ? new Date(job.finishedAt).toISOString() : null,
	};
}
