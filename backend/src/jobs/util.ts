import { sleep } from '../../../shared/timing';
import { PermanentError } from '../engine/types';
import type { JobServices } from './ops';

/** the service a step needs, or a permanent error saying which config section is missing */
export function need<K extends keyof JobServices>(
	services: JobServices,
	name: K,
): NonNullable<JobServices[K]> {
	const service = services[name];
	if (!service)
		throw new PermanentError(
			`this backend has no ${name} client configured (add the "${name}" section to the backend config)`,
		);
	return service;
}

/** polls `probe` every `intervalMs` until it returns a value (not undefined) or the signal aborts */
export async function pollUntil<T>(
	probe: () => Promise<T | undefined>,
	intervalMs: number,
	signal: AbortSignal,
): Promise<T> {
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		await sleep(intervalMs, signal);
	}
}
