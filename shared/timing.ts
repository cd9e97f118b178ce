// Waiting and deadlines, the one copy for clients, nodes and the backend (pure: no n8n).

/** The error an aborted signal stands for: its reason when that is an Error, else one naming the reason. */
export function abortReason(signal: AbortSignal): Error {
	return signal.reason instanceof Error ? signal.reason : new Error(`aborted: ${String(signal.reason)}`);
}

/**
 * Waits `ms`. With a signal it stops waiting the moment the signal aborts and rejects with `abortReason(signal)`
 * (at once when it is already aborted), so a cancelled poll loop ends now instead of after its interval. A
 * caller whose loop checks the signal itself and reports its own error can `.catch(() => undefined)`.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) {
			reject(abortReason(signal));
			return;
		}
		const onAbort = () => {
			clearTimeout(timer);
			reject(abortReason(signal!));
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

/** What `withTimeout` rejects with by default: names what got no answer, with the code ETIMEOUT. */
export class NoAnswerError extends Error {
	readonly code = 'ETIMEOUT';
	constructor(what: string, ms: number) {
		super(`${what} got no answer within ${ms} ms`);
		this.name = 'NoAnswerError';
	}
}

export interface TimeoutOptions {
	/** how long the work may take */
	ms: number;
	/** what the work is, for the default error ("<what> got no answer within <ms> ms") */
	what: string;
	/** the error a timeout rejects with instead of the default NoAnswerError */
	timeoutError?: () => Error;
	/** cuts the work short too; this then rejects with `abortReason(signal)` */
	signal?: AbortSignal;
	/**
	 * After a cut, how long the work may take to settle before this rejects (default 0: at once). Gives work that
	 * was writing something (e.g. a checkpoint) the chance to land; work that ignores its signal cannot hold the
	 * caller longer than this.
	 */
	graceMs?: number;
}

/**
 * Runs `work` with a signal that aborts when `ms` pass or `options.signal` aborts, and rejects then (after the
 * grace) with the reason of the cut, even when the work itself rejects afterwards with something else.
 * `work` that cannot be cancelled may ignore its signal: the deadline holds all the same.
 */
export async function withTimeout<T>(
	work: (signal: AbortSignal) => Promise<T>,
	options: TimeoutOptions,
): Promise<T> {
	const { ms, signal: parent, graceMs = 0 } = options;
	const controller = new AbortController();
	/** the reason this run was cut short; work that then rejects is reported with it */
	let forced: Error | undefined;
	const running = work(controller.signal).catch((error: unknown) => {
		throw forced ?? error;
	});
	const settledOrGrace = () =>
		Promise.race([
			running.then(
				() => undefined,
				() => undefined,
			),
			sleep(graceMs),
		]);
	let timer: NodeJS.Timeout | undefined;
	let onAbort: (() => void) | undefined;
	const cut = (error: Error, reject: (error: Error) => void) => {
		forced = error;
		controller.abort(error);
		if (graceMs > 0) void settledOrGrace().then(() => reject(error));
		else reject(error);
	};
	const stop = new Promise<never>((_resolve, reject) => {
		timer = setTimeout(() => {
			cut(options.timeoutError?.() ?? new NoAnswerError(options.what, ms), reject);
		}, ms);
		if (!parent) return;
		onAbort = () => cut(abortReason(parent), reject);
		if (parent.aborted) onAbort();
		else parent.addEventListener('abort', onAbort, { once: true });
	});
	try {
		return await Promise.race([running, stop]);
	} finally {
		clearTimeout(timer);
		if (parent && onAbort) parent.removeEventListener('abort', onAbort);
	}
}
