/** Abortable waits shared by the engine's claim loop, its step runner and its callback delivery. */

export function abortError(signal: AbortSignal): Error {
	return signal.reason instanceof Error ? signal.reason : new Error(`aborted: ${String(signal.reason)}`);
}

export function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(abortError(signal));
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		const onAbort = () => {
			clearTimeout(timer);
			reject(abortError(signal!));
		};
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}
