import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INode,
	ISupplyDataFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { OllamaClient, OllamaError, toOllamaError } from '../../../clients/ollama';
import { credentialHeaders } from '../../../shared/request-headers';

// The only place the Ollama node builds clients and turns their failures into n8n errors. Requests go
// through the `ollama` package over clients/ollama/node-fetch.ts (no 5-minute cap, cancel on stop), not
// through n8n's http helpers, whose axios/undici defaults would reintroduce a time limit.

export interface ClientOptions {
	/** 0 or undefined: no limit. */
	timeoutMs?: number;
}

export async function ollamaClient(
	this: IExecuteFunctions | ILoadOptionsFunctions | ISupplyDataFunctions,
	options: ClientOptions = {},
): Promise<OllamaClient> {
	const credentials = await this.getCredentials('ollamaApi');
	let headers: Record<string, string>;
	try {
		headers = credentialHeaders(credentials);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), `Ollama credential: ${(error as Error).message}`);
	}
	const baseUrl = typeof credentials.baseUrl === 'string' ? credentials.baseUrl : '';
	const signal = 'getExecutionCancelSignal' in this ? this.getExecutionCancelSignal() : undefined;
	try {
		return new OllamaClient({
			baseUrl: baseUrl,
			headers,
			timeoutMs: options.timeoutMs,
			signal,
		});
	} catch (error) {
		throw toNodeError(this.getNode(), error, undefined, baseUrl);
	}
}

/** An OllamaError (or anything thrown while talking to Ollama) as the n8n error the user sees. */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
	baseUrl = 'http://127.0.0.1:11434',
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const ollamaError = error instanceof OllamaError ? error : toOllamaError(error, baseUrl);
	const description = ollamaError.hint;
	if (ollamaError.status !== undefined) {
		const response: JsonObject = {
			message: ollamaError.message,
			kind: ollamaError.kind,
			status: ollamaError.status,
			...(ollamaError.model ? { model: ollamaError.model } : {}),
		};
		return new NodeApiError(node, response, {
			message: ollamaError.message,
			description,
			httpCode: String(ollamaError.status),
			itemIndex,
		});
	}
	return new NodeOperationError(node, ollamaError.message, { description, itemIndex });
}
