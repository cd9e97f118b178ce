import { describeError, errorCode } from '../../shared/errors';

export type HomeAssistantErrorKind =
	/** HTTP status outside 2xx from the REST API. */
	| 'http'
	/** A WebSocket `result` with `success: false`. */
	| 'command'
	/** The token was refused (REST 401 or WebSocket `auth_invalid`). */
	| 'auth'
	/** No connection (refused, DNS, TLS, reset) or it dropped while waiting. */
	| 'connection'
	| 'timeout'
	| 'cancelled';

/**
 * A failure talking to Home Assistant, with what a caller needs to explain it: the HTTP status or WebSocket
 * error code, and the body Home Assistant sent. Messages never contain Node error codes (see shared/errors.ts).
 */
export class HomeAssistantError extends Error {
	readonly kind: HomeAssistantErrorKind;
	/** HTTP status (REST) when there was a response. */
	readonly status?: number;
	/** WebSocket error code (`not_found`, `invalid_format`, ...) or the Node error code of a connection failure. */
	readonly code?: string;
	/** What Home Assistant answered (parsed JSON or text). */
	readonly body?: unknown;

	constructor(
		kind: HomeAssistantErrorKind,
		message: string,
		details: { status?: number; code?: string; body?: unknown; cause?: unknown } = {},
	) {
		super(message, details.cause === undefined ? undefined : { cause: details.cause });
		this.name = 'HomeAssistantError';
		this.kind = kind;
		this.status = details.status;
		this.code = details.code;
		this.body = details.body;
	}

	static fromConnection(what: string, error: unknown): HomeAssistantError {
		return new HomeAssistantError('connection', `${what}: ${describeError(error)}`, {
			code: errorCode(error),
			cause: error,
		});
	}
}
