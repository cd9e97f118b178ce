/**
 * A parameter or credential value as text, exactly as given: strings as they are, numbers/booleans printed,
 * anything else (undefined, null, objects) empty. For secrets and free text, where spaces may matter.
 */
export function asText(value: unknown): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
		return String(value);
	return '';
}

/** `asText` without surrounding spaces: for names and ids (a node, a VMID, a camera) a user may paste with a space. */
export function asTrimmedText(value: unknown): string {
	return asText(value).trim();
}

/** A comma-separated list as its trimmed, non-empty entries: "a, b,,c" -> ["a", "b", "c"]; not text -> []. */
export function splitList(value: unknown): string[] {
	return asText(value)
		.split(',')
		.map((entry) => entry.trim())
		.filter(Boolean);
}
