/** Log redaction: secrets in config, requests and job inputs never reach the log. */
export const REDACT_PATHS = [
	'req.headers.authorization',
	'req.headers.cookie',
	'headers.authorization',
	'token',
	'*.token',
	'*.password',
	'*.tokenSecret',
	'*.secret',
	'*.*.password',
	'*.*.tokenSecret',
	'input.cloudInit.password',
	'callbackUrl',
	'*.callbackUrl',
];

/** query parameters whose values are secrets (a token sent as ?token= is refused, but must not be logged) */
const SECRET_QUERY = /token|key|pass|secret|signature|sig$|auth|credential|session/i;

function decoded(text: string): string {
	try {
		return decodeURIComponent(text.replace(/\+/g, ' '));
	} catch {
		return text;
	}
}

/** the URL with the values of secret-looking query parameters replaced */
export function redactQuery(url: string): string {
	const at = url.indexOf('?');
	if (at < 0) return url;
	const query = url
		.slice(at + 1)
		.split('&')
		.map((pair) => {
			const [key] = pair.split('=', 1);
			return pair.includes('=') && SECRET_QUERY.test(decoded(key)) ? `${key}=[redacted]` : pair;
		})
		.join('&');
	return `${url.slice(0, at)}?${query}`;
}

interface LoggedRequest {
	method: string;
	url: string;
	host?: string;
	ip?: string;
	socket?: { remotePort?: number };
}

/** the logger's options: what a request line shows (query secrets redacted), and the redacted paths */
export function loggerOptions(level: string, overrides: object = {}): object {
	return {
		level,
		redact: { paths: REDACT_PATHS, censor: '[redacted]' },
		serializers: {
			req: (request: LoggedRequest) => ({
				method: request.method,
				url: redactQuery(request.url),
				host: request.host,
				remoteAddress: request.ip,
				remotePort: request.socket?.remotePort,
			}),
		},
		...overrides,
	};
}
