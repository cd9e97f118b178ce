/**
 * Parses the credential's "Extra Headers" (a JSON object of strings, e.g. for a proxy such as
 * {"CF-Access-Client-Id": "..."}). Empty means none. Throws with a reason the user can act on.
 */
export function parseExtraHeaders(raw: unknown): Record<string, string> {
	if (raw === undefined || raw === null || raw === '') return {};
	let value: unknown = raw;
	if (typeof raw === 'string') {
		if (!raw.trim()) return {};
		value = parseJson(raw);
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new Error('Extra Headers must be a JSON object such as {"X-Proxy-Key": "secret"}');
	}
	const headers: Record<string, string> = {};
	for (const [name, headerValue] of Object.entries(value as Record<string, unknown>)) {
		if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new Error(`"${name}" is not a valid header name`);
		if (typeof headerValue !== 'string' && typeof headerValue !== 'number') {
			throw new Error(`The value of header "${name}" must be a string`);
		}
		headers[name] = String(headerValue);
	}
	return headers;
}

const NOT_JSON = Symbol('not JSON');

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return NOT_JSON;
	}
}

/**
 * The headers a request carries for a credential with an optional bearer token and "Extra Headers" (Ollama's
 * credential authenticates with these, and its node's transport sends the same on raw requests).
 */
export function credentialHeaders(credentials: {
	apiKey?: unknown;
	extraHeaders?: unknown;
}): Record<string, string> {
	const headers = parseExtraHeaders(credentials.extraHeaders);
	const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey.trim() : '';
	if (apiKey) headers.Authorization = `Bearer ${apiKey}`;
	return headers;
}
