// The engine's one text-of-an-error helper; its waits come from shared/timing, the project's one abortable sleep.

export function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
