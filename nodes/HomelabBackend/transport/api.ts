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
	let response: IN8nHttpFullResponse;
	try {
		response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, 'homelabBackendApi', {
			method,
			url: `${baseURL}${route}`,
			body,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as IN8nHttpFullResponse;
	} catch (error) {
		throw new NodeApiError(ctx.getNode(), error as JsonObject, {
			itemIndex,
			message: `The backend at ${baseURL} did not answer ${method} ${route}`,
			description: describeError(error),
		});
	}
	if (response.statusCode >= 400) {
		const answer = (response.body ?? {}) as { error?: string };
		throw new NodeApiError(ctx.getNode(), (answer as JsonObject) ?? {}, {
			itemIndex,
			httpCode: String(response.statusCode),
			message: `The backend refused ${method} ${route} (${response.statusCode}): ${answer.error ?? 'no reason given'}`,
		});
	}
	return response.body as T;
}
