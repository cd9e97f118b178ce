import { describeError, errorCode } from '../../shared/errors';
import { RequestCancelledError, RequestTimeoutError } from './node-fetch';

export type OllamaErrorKind =
	| 'modelNotFound'
	| 'unreachable'
	| 'timeout'
	| 'cancelled'
	| 'unauthorized'
	| 'badRequest'
	| 'server'
	| 'structuredOutput';

/**
 * A failure talking to Ollama, classified so a caller can react (retry a pull, offer `ollama pull`) and
 * worded without raw error codes (n8n would replace such a message with a generic sentence).
 */
export class OllamaError extends Error {
	readonly kind: OllamaErrorKind;
	readonly status?: number;
	/** What the user can do about it. */
	readonly hint?: string;
	/** The Node error code (ECONNREFUSED, ...) when there was one; never part of `message`. */
	readonly code?: string;
	readonly model?: string;

	constructor(
		kind: OllamaErrorKind,
		message: string,
		details: { status?: number; hint?: string; code?: string; model?: string; cause?: unknown } = {},
	) {
		super(message, details.cause === undefined ? undefined : { cause: details.cause });
		this.name = 'OllamaError';
		this.kind = kind;
		this.status = details.status;
		this.hint = details.hint;
		this.code = details.code;
		this.model = details.model;
	}
}

/** The command that makes a missing model available. */
export function pullCommand(model: string): string {
	return `ollama pull ${model}`;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0']);

function unreachableHint(baseUrl: URL, code: string | undefined): string {
	const lines = [`Check that Ollama runs and listens on ${baseUrl.host} (ollama serve).`];
	if (LOCAL_HOSTS.has(baseUrl.hostname)) {
		lines.push(
			`If n8n runs in Docker, ${baseUrl.hostname} is the n8n container itself, not the machine Ollama runs on: ` +
				`set the credential's Base URL to ${baseUrl.protocol}//host.docker.internal:${baseUrl.port || '11434'} ` +
				'(on Linux start the container with --add-host=host.docker.internal:host-gateway) and let Ollama ' +
				'listen on all interfaces (OLLAMA_HOST=0.0.0.0).',
		);
	} else if (baseUrl.hostname === 'host.docker.internal' && code === 'ENOTFOUND') {
		lines.push(
			'host.docker.internal is not defined in this container: on Linux start it with ' +
				'--add-host=host.docker.internal:host-gateway.',
		);
	}
	return lines.join(' ');
}

interface ResponseErrorLike {
	name: string;
	message: string;
	error?: string;
	status_code?: number;
}

function isResponseError(error: unknown): error is ResponseErrorLike {
	return (
		error instanceof Error &&
		error.name === 'ResponseError' &&
		typeof (error as ResponseErrorLike).status_code === 'number'
	);
}

const NOT_FOUND = /model ["'](.+?)["'] not found/i;

/** Turns whatever the `ollama` package or the socket threw into an OllamaError. */
export function toOllamaError(error: unknown, baseUrl: string, model?: string): OllamaError {
	if (error instanceof OllamaError) return error;
	const url = new URL(baseUrl);
	if (error instanceof RequestCancelledError || (error instanceof Error && error.name === 'AbortError')) {
		return new OllamaError('cancelled', 'The request to Ollama was cancelled (the workflow was stopped)', {
			cause: error,
		});
	}
	if (error instanceof RequestTimeoutError) {
		return new OllamaError(
			'timeout',
			`Ollama at ${url.host} did not finish within the configured timeout of ${error.timeoutMs} ms`,
			{
				hint: 'Raise the Timeout option or set it to 0 (no limit): big models on modest hardware can take many minutes.',
				cause: error,
			},
		);
	}
	if (isResponseError(error)) {
		const status = error.status_code;
		const text = error.error ?? error.message;
		const missing = NOT_FOUND.exec(text)?.[1] ?? (status === 404 ? model : undefined);
		if (status === 404 && missing) {
			return new OllamaError(
				'modelNotFound',
				`The model "${missing}" is not available on the Ollama server at ${url.host}`,
				{
					status,
					model: missing,
					hint: `Pull it first on that machine: ${pullCommand(missing)} (or use this node's Pull operation).`,
					cause: error,
				},
			);
		}
		if (status === 401 || status === 403) {
			return new OllamaError('unauthorized', `Ollama (or the proxy in front of it) refused access: ${text}`, {
				status,
				hint: 'Check the API key / bearer token and extra headers of the Ollama credential.',
				cause: error,
			});
		}
		return new OllamaError(
			status !== undefined && status >= 500 ? 'server' : 'badRequest',
			`Ollama answered ${status}: ${text}`,
			{
				status,
				model,
				cause: error,
			},
		);
	}
	const code = errorCode(error);
	if (code) {
		return new OllamaError('unreachable', `Cannot reach Ollama at ${url.host}: ${describeError(error)}`, {
			code,
			hint: unreachableHint(url, code),
			cause: error,
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	const missing = NOT_FOUND.exec(message)?.[1];
	if (missing) {
		return new OllamaError(
			'modelNotFound',
			`The model "${missing}" is not available on the Ollama server at ${url.host}`,
			{
				model: missing,
				hint: `Pull it first on that machine: ${pullCommand(missing)} (or use this node's Pull operation).`,
				cause: error,
			},
		);
	}
	return new OllamaError('server', `Ollama request failed: ${message}`, { model, cause: error });
}
