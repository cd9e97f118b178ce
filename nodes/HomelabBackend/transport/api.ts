import { randomUUID } from 'node:crypto';

import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IN8nHttpFullResponse,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { describeError } from '../../../shared/errors';

/** What an error of this node carries of the backend's answer: nothing else (never the request or its headers). */
export interface BackendAnswer {
	message: string;
	/** the HTTP status, 0 when the backend did not answer */
	status: number;
	/** sent as x-request-id; the backend logs the request under it */
	requestId: string;
}

/** The request id the backend accepts from x-request-id (it makes its own for anything else). */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** `text` with every occurrence of `secret` replaced (a proxy or a library may echo the Authorization header) */
function withoutSecret(text: string, secret: string): string {
	return secret.length >= 8 ? text.split(secret).join('[redacted]') : text;
}

/**
 * The error a failed backend call raises. Built from plain values only: n8n's request helper throws a NodeApiError
 * whose cause is the axios error with the request's headers (the bearer token); passing that on (as cause or
 * errorResponse) would hand the token to error reporting and to whatever reads the error.
 */
function backendError(
	ctx: IExecuteFunctions | IWebhookFunctions,
	answer: BackendAnswer,
	message: string,
	itemIndex: number | undefined,
	description?: string,
): NodeApiError {
	return new NodeApiError(ctx.getNode(), { ...answer } as unknown as JsonObject, {
		itemIndex,
		message: `${message} [request id ${answer.requestId}]`,
		...(description ? { description } : {}),
		...(answer.status ? { httpCode: String(answer.status) } : {}),
	});
}

/** The one place this node talks to homelab-backend: JSON over HTTP with the credential's bearer token. */
export async function backendRequest<T = IDataObject>(
	ctx: IExecuteFunctions | IWebhookFunctions,
	method: IHttpRequestMethods,
	route: string,
	body?: IDataObject,
	itemIndex?: number,
): Promise<T> {
	const credentials = await ctx.getCredentials<{ url: string; token: string }>('homelabBackendApi');
	const baseURL = credentials.url.replace(/\/+$/, '');
	const token = String(credentials.token ?? '');
	const requestId = randomUUID();
	let response: IN8nHttpFullResponse;
	try {
		response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, 'homelabBackendApi', {
			method,
			url: `${baseURL}${route}`,
			headers: { 'x-request-id': requestId },
			body,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as IN8nHttpFullResponse;
	} catch (error) {
		// only words about the failure (e.g. "connection refused (127.0.0.1:8787)"), never the error object itself
		const reason = withoutSecret(describeError(rootCause(error)), token);
		throw backendError(
			ctx,
			{ message: reason, status: 0, requestId },
			`The backend at ${baseURL} did not answer ${method} ${route}`,
			itemIndex,
			reason,
		);
	}
	if (response.statusCode >= 400) {
		const answer = (response.body ?? {}) as { error?: unknown; requestId?: unknown };
		const reason = withoutSecret(
			typeof answer.error === 'string' && answer.error ? answer.error : 'no reason given',
			token,
		);
		// the backend names its own id when it did not take ours (it always takes a well-formed one)
		const answeredId = typeof answer.requestId === 'string' && REQUEST_ID.test(answer.requestId);
		throw backendError(
			ctx,
			{
				message: reason,
				status: response.statusCode,
				requestId: answeredId ? (answer.requestId as string) : requestId,
			},
			`The backend refused ${method} ${route} (${response.statusCode}): ${reason}`,
			itemIndex,
			`${reason} (the backend logs this request under its request id)`,
		);
	}
	return response.body as T;
}

/** the innermost cause (n8n wraps the axios error, which wraps the socket error that has the code) */
function rootCause(error: unknown): unknown {
	let current = error;
	for (let depth = 0; depth < 5; depth++) {
		const cause = (current as { cause?: unknown } | undefined)?.cause;
		if (!(cause instanceof Error)) break;
		current = cause;
	}
	return current;
}
