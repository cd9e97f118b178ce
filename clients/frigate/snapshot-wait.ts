import { sleep } from '../../shared/timing';
import { FrigateApiError, type FrigateClient } from './client';
import type { FrigateMedia } from './types';

export interface SnapshotWaitOptions {
	timeoutMs: number;
	intervalMs?: number;
	signal?: AbortSignal;
	boundingBox?: boolean;
	crop?: boolean;
	height?: number;
}

const isNotFound = (error: unknown): error is FrigateApiError =>
	error instanceof FrigateApiError && error.status === 404;

/**
 * The snapshot of an event, waiting until Frigate has it. `/api/events/<id>/snapshot.jpg` serves the saved
 * snapshot of an ended event, or the current best frame while the object is tracked; in between (the object no
 * longer tracked, its end and snapshot not yet saved) and before the event reaches the database it answers 404,
 * which is when an alert's `end` message usually arrives. An event that ended without a snapshot (snapshots off
 * for its camera) never gets one: that fails at once instead of waiting out the timeout.
 */
export async function waitForSnapshot(
	client: FrigateClient,
	id: string,
	options: SnapshotWaitOptions,
): Promise<FrigateMedia & { waitedMs: number }> {
	const started = Date.now();
	const interval = options.intervalMs ?? 1000;
	const query = { boundingBox: options.boundingBox, crop: options.crop, height: options.height };
	for (;;) {
		let missing: FrigateApiError;
		try {
			return { ...(await client.snapshot(id, query, options.signal)), waitedMs: Date.now() - started };
		} catch (error) {
			if (!isNotFound(error)) throw error;
			missing = error;
		}
		const event = await client.getEvent(id, options.signal).catch((error: unknown) => {
			if (isNotFound(error)) return undefined; // not in the database yet
			throw error;
		});
		if (event && event.end_time !== null && !event.has_snapshot)
			throw new FrigateApiError(
				`${missing.message}: event ${id} ended without a snapshot (are snapshots enabled for camera ${event.camera}?)`,
				404,
				missing.path,
				missing.frigateMessage,
			);
		if (Date.now() - started + interval > options.timeoutMs)
			throw new FrigateApiError(
				`The snapshot of event ${id} was not ready within ${Math.round(options.timeoutMs / 1000)} s (${missing.message})`,
				404,
				missing.path,
				missing.frigateMessage,
			);
		await sleep(interval, options.signal);
	}
}
