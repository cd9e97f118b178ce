// The engine's waits are the project's one abortable sleep (shared/timing); messageOf is the engine's own.
import { abortReason, sleep } from '../../../shared/timing';

export { sleep };

/** The error an aborted signal stands for (shared/timing's abortReason, under the engine's older name). */
export const abortError = abortReason;

export function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
