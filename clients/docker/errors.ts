import { describeError, errorCode } from '../../shared/errors';

/**
 * A failure of a Docker operation, worded for people: `message` says what failed and why (never a raw Node error
 * code, see shared/errors.ts), `hint` says what to do. `statusCode` is the engine's HTTP status when it answered.
 */
export class DockerError extends Error {
	constructor(
		message: string,
		readonly hint: string,
		readonly statusCode?: number,
		readonly code?: string,
	) {
		super(message);
		this.name = 'DockerError';
	}
}

const UNREACHABLE = new Set([
	'ECONNREFUSED',
	'ENOENT',
	'EACCES',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENOTFOUND',
	'EAI_AGAIN',
	'ETIMEDOUT',
	'ECONNRESET',
	'EPIPE',
]);

/** The engine's own sentence from a dockerode error (`json.message`), else the error's message. */
export function engineMessage(error: unknown): string {
	const json = (error as { json?: unknown } | undefined)?.json;
	if (json && typeof json === 'object' && typeof (json as { message?: unknown }).message === 'string')
		return (json as { message: string }).message.trim();
	if (typeof json === 'string' && json.trim()) return json.trim();
	if (Buffer.isBuffer(json)) {
		const text = json.toString('utf8').trim();
		try {
			const parsed = JSON.parse(text) as { message?: string };
			if (parsed.message) return parsed.message;
		} catch {
			// not JSON
		}
		if (text) return text;
	}
	const message = describeError(error);
	// dockerode prefixes "(HTTP code 404) no such container - " before the engine's text; keep the engine's part.
	return message.replace(/^\(HTTP code \d+\)\s*[^-]*-\s*/, '').trim() || message;
}

function hintFor(statusCode: number, what: string): string {
	switch (statusCode) {
		case 400:
			return 'The engine rejected the request as invalid: check the parameters';
		case 401:
		case 403:
			return 'The engine refused the request: check the credentials (registry login, TLS client certificate)';
		case 404:
			return `Check the name or ID; list them first to see what exists on this host (${what})`;
		case 409:
			return 'The object is in a state that conflicts with this request: stop it first, or use Force';
		case 500:
			return 'The Docker engine reported an internal error; its log (journalctl -u docker) has details';
		case 503:
			return 'The Docker engine is not ready (starting, or swarm mode is required for this call)';
		default:
			return 'See the message for details';
	}
}

/** Turns anything dockerode throws into a DockerError naming `what` failed (e.g. 'Stop container "web"'). */
export function dockerError(error: unknown, what: string, target?: string): DockerError {
	if (error instanceof DockerError) return error;
	const code = errorCode(error);
	const statusCode = (error as { statusCode?: unknown } | undefined)?.statusCode;
	if (typeof statusCode === 'number' && statusCode >= 300) {
		return new DockerError(`${what} failed: ${engineMessage(error)}`, hintFor(statusCode, what), statusCode);
	}
	if ((error as { name?: string } | undefined)?.name === 'AbortError') {
		return new DockerError(`${what} was cancelled`, 'The execution was stopped', undefined, 'ABORT_ERR');
	}
	if (code && UNREACHABLE.has(code)) {
		const where = target ? ` at ${target}` : '';
		// with the target named, the socket path or address describeError appends would only repeat it
		const reason = target ? describeError(error).replace(/ \([^)]*\)$/, '') : describeError(error);
		return new DockerError(
			`Cannot reach the Docker engine${where}: ${reason}`,
			code === 'EACCES'
				? 'The socket exists but n8n may not open it: add n8n’s user to the docker group or mount the socket with the right group'
				: 'Check that dockerd runs and that the credential’s socket path, host and port are right (for n8n in a container, mount /var/run/docker.sock)',
			undefined,
			code,
		);
	}
	return new DockerError(
		`${what} failed: ${describeError(error)}`,
		'See the message for details',
		undefined,
		code,
	);
}

/** Raised by a read-only connection when asked to change the host. */
export class ReadOnlyError extends DockerError {
	constructor(action: string) {
		super(
			`Refused: "${action}" would change the Docker host, and this credential is read-only`,
			'Turn off "Read Only" in the Docker Host credential, or use a credential that may make changes',
			undefined,
			'READ_ONLY',
		);
		this.name = 'ReadOnlyError';
	}
}
