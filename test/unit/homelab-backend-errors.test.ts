// The Homelab Backend node's errors carry the backend's answer as {message, status, requestId} and nothing of the
// request: n8n's request helper throws a NodeApiError whose cause is the axios error with the request headers,
// so the bearer token must not reach the node's error (its cause, errorResponse, description or what n8n stores).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';

import type { IExecuteFunctions, IHttpRequestOptions, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { backendRequest } from '../../nodes/HomelabBackend/transport/api';

const TOKEN = randomBytes(32).toString('hex');
const node: INode = {
	id: '1',
	name: 'Homelab Backend',
	type: 'n8n-nodes-homelab.homelabBackend',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

type Helper = (options: IHttpRequestOptions) => Promise<unknown>;

/** the parts of IExecuteFunctions backendRequest uses; `requests` records what the node asked the helper to send */
function context(helper: Helper) {
	const requests: IHttpRequestOptions[] = [];
	const ctx = {
		getNode: () => node,
		getCredentials: async () => ({ url: 'http://127.0.0.1:8787/', token: TOKEN }),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				requests.push(options);
				return await helper(options);
			},
		},
	};
	return { ctx: ctx as unknown as IExecuteFunctions, requests };
}

/** every string reachable from `value` through own properties, enumerable or not (cause is not) */
function reachableText(value: unknown, seen = new Set<unknown>()): string[] {
	if (typeof value === 'string') return [value];
	if (!value || typeof value !== 'object' || seen.has(value)) return [];
	seen.add(value);
	return Object.getOwnPropertyNames(value).flatMap((key) => {
		let inner: unknown;
		try {
			inner = (value as Record<string, unknown>)[key];
		} catch {
			return [];
		}
		return [key, ...reachableText(inner, seen)];
	});
}

/** the error as n8n stores it in the execution ({...error, message, stack}) and as it serializes it */
function assertNoToken(error: NodeApiError) {
	const stored = JSON.stringify({ ...error, message: error.message, stack: error.stack });
	assert.ok(!stored.includes(TOKEN), 'token in the stored error');
	assert.ok(!JSON.stringify(error).includes(TOKEN), 'token in the serialized error');
	assert.ok(!String(error.description).includes(TOKEN), 'token in the description');
	const leaked = reachableText(error).filter((text) => text.includes(TOKEN));
	assert.deepEqual(leaked, [], 'token reachable from the error object');
}

/** a real socket error from a port nobody listens on */
async function refusedSocketError(): Promise<Error> {
	const server = http.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return await new Promise((resolve) => {
		http.get({ port, host: '127.0.0.1' }).on('error', resolve);
	});
}

/** what n8n-core's httpRequestWithAuthentication throws when the request fails: NodeApiError(node, axiosError) */
function n8nHelperError(socketError: Error): NodeApiError {
	const axiosError = Object.assign(new Error(socketError.message, { cause: socketError }), {
		name: 'AxiosError',
		code: (socketError as { code?: string }).code,
		isAxiosError: true,
		config: { headers: { Authorization: `Bearer ${TOKEN}`, 'x-request-id': 'r' }, method: 'post' },
		request: { _header: `POST /v1/jobs HTTP/1.1\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n` },
	});
	return new NodeApiError(node, axiosError as unknown as JsonObject);
}

async function failure(promise: Promise<unknown>): Promise<NodeApiError> {
	try {
		await promise;
	} catch (error) {
		assert.ok(error instanceof NodeApiError, `a NodeApiError, not ${String(error)}`);
		return error;
	}
	assert.fail('the call should have failed');
}

describe('Homelab Backend node errors (issue 16 item 17)', () => {
	it('a failed connection: words and the request id, no trace of the request or its token', async () => {
		const thrown = n8nHelperError(await refusedSocketError());
		// the premise: what n8n hands the node does carry the token
		assert.ok(reachableText(thrown).some((text) => text.includes(TOKEN)));
		const { ctx, requests } = context(async () => {
			throw thrown;
		});
		const error = await failure(backendRequest(ctx, 'POST', '/v1/jobs', { type: 'selftest', input: {} }, 3));
		assertNoToken(error);
		assert.equal(error.cause, undefined);
		const requestId = (requests[0].headers as Record<string, string>)['x-request-id'];
		assert.match(requestId, /^[0-9a-f-]{36}$/);
		assert.match(
			error.message,
			new RegExp(
				`^The backend at http://127\\.0\\.0\\.1:8787 did not answer POST /v1/jobs \\[request id ${requestId}\\]$`,
			),
		);
		assert.match(String(error.description), /^connection refused \(127\.0\.0\.1:\d+\)$/);
		assert.equal(error.context.itemIndex, 3);
		const answer = error.errorResponse as Record<string, unknown>;
		assert.deepEqual(Object.keys(answer).sort(), ['message', 'requestId', 'status']);
		assert.deepEqual({ status: answer.status, requestId: answer.requestId }, { status: 0, requestId });
	});

	it('an error answer: only its message, status and request id, whatever else the body holds', async () => {
		const { ctx, requests } = context(async () => ({
			statusCode: 401,
			headers: { 'x-request-id': 'ignored' },
			// a proxy in front of the backend that echoes the request back
			body: {
				error: `missing or wrong bearer token (got Bearer ${TOKEN})`,
				request: { headers: { authorization: `Bearer ${TOKEN}` } },
			},
		}));
		const error = await failure(backendRequest(ctx, 'GET', '/v1/jobs?limit=1'));
		assertNoToken(error);
		const requestId = (requests[0].headers as Record<string, string>)['x-request-id'];
		assert.deepEqual(error.errorResponse, {
			message: 'missing or wrong bearer token (got Bearer [redacted])',
			status: 401,
			requestId,
		});
		assert.equal(error.httpCode, '401');
		assert.equal(
			error.message,
			`The backend refused GET /v1/jobs?limit=1 (401): missing or wrong bearer token (got Bearer [redacted]) [request id ${requestId}]`,
		);
	});

	it("a 500 names the backend's request id, under which its log has the details", async () => {
		const { ctx } = context(async (options) => ({
			statusCode: 500,
			headers: {},
			body: {
				error: 'internal error; the backend log has the details',
				requestId: (options.headers as Record<string, string>)['x-request-id'],
				stack: 'at Store.listJobs (/app/backend/src/store/sqlite.ts:42)',
			},
		}));
		const error = await failure(backendRequest(ctx, 'GET', '/v1/jobs'));
		const answer = error.errorResponse as { requestId: string; status: number };
		assert.equal(answer.status, 500);
		assert.ok(error.message.endsWith(`[request id ${answer.requestId}]`));
		assert.ok(!JSON.stringify({ ...error }).includes('sqlite.ts'), 'no other part of the body');
	});

	it('a success answers the body as it is', async () => {
		const { ctx } = context(async () => ({ statusCode: 200, headers: {}, body: { jobs: [] } }));
		assert.deepEqual(await backendRequest(ctx, 'GET', '/v1/jobs'), { jobs: [] });
	});
});
