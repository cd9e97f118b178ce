const SECRET_KEY = /pass(word)?|secret|token|signature|private/i;

/** a copy of `value` with secret-looking keys replaced (job inputs in API answers and logs) */
export function redactSecrets(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(redactSecrets);
	if (value && typeof value === 'object')
		return Object.fromEntries(
			Object.entries(value).map(([key, inner]) => [
				key,
				SECRET_KEY.test(key) ? '[redacted]' : redactSecrets(inner),
			]),
		);
	return value;
}
