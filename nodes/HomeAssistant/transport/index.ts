import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INode,
	ITriggerFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	HomeAssistantError,
	HomeAssistantRest,
	HomeAssistantSocket,
	type HomeAssistantConnectionOptions,
	type HomeAssistantSocketOptions,
} from '../../../clients/homeassistant';
import { asText, asTrimmedText } from '../../../shared/values';

// The only place the Home Assistant node and trigger reach Home Assistant: builds the shared client from the
// credential and turns its failures into NodeApiError with a description a user can act on.

export const CREDENTIAL_NAME = 'homelabHomeAssistantApi';

type AnyContext = IExecuteFunctions | ILoadOptionsFunctions | ITriggerFunctions;

export function connectionOptions(
	credentials: ICredentialDataDecryptedObject,
): HomeAssistantConnectionOptions {
	return {
		url: asText(credentials.url),
		token: asText(credentials.accessToken),
		allowSelfSigned: credentials.ignoreSslIssues === true,
	};
}

async function options(ctx: AnyContext): Promise<HomeAssistantConnectionOptions> {
	const credentials = await ctx.getCredentials(CREDENTIAL_NAME);
	try {
		return connectionOptions(credentials);
	} catch (error) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The Home Assistant URL is not valid: ${(error as Error).message}`,
		);
	}
}

export async function restClient(ctx: AnyContext): Promise<HomeAssistantRest> {
	const connection = await options(ctx);
	try {
		return new HomeAssistantRest(connection);
	} catch (error) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The Home Assistant URL is not valid: ${(error as Error).message}`,
			{
				description: 'Enter the address as in your browser, e.g. http://homeassistant.local:8123',
			},
		);
	}
}

export async function socketClient(
	ctx: AnyContext,
	extra: Partial<HomeAssistantSocketOptions> = {},
): Promise<HomeAssistantSocket> {
	const connection = await options(ctx);
	try {
		return new HomeAssistantSocket({ ...connection, ...extra });
	} catch (error) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The Home Assistant URL is not valid: ${(error as Error).message}`,
			{
				description: 'Enter the address as in your browser, e.g. http://homeassistant.local:8123',
			},
		);
	}
}

/** Runs `work` with a connected socket and always closes it. */
export async function withSocket<T>(
	ctx: AnyContext,
	work: (socket: HomeAssistantSocket) => Promise<T>,
): Promise<T> {
	const socket = await socketClient(ctx, { reconnect: false });
	try {
		await socket.connect();
		return await work(socket);
	} finally {
		await socket.close();
	}
}

const DESCRIPTIONS: Record<string, string> = {
	auth: 'Create a long-lived access token in Home Assistant (your profile -> Security) and paste it into the credential',
	connection:
		'Check the URL in the credential (as in your browser, e.g. http://homeassistant.local:8123), that Home Assistant runs, and for HTTPS with a self-signed certificate turn on "Ignore SSL Issues"',
	timeout: 'Home Assistant is slow or busy; try again or raise the timeout',
	not_found: 'The action, entity or subscription does not exist in Home Assistant: pick it from the list',
	invalid_format:
		"The data does not match what the action accepts: compare with the action's fields in Developer tools -> Actions",
	service_validation_error: 'Home Assistant refused a value: see the message for which one',
};

/** A failure from the client as the NodeApiError n8n shows; other errors pass through unchanged. */
export function toNodeError(node: INode, error: unknown, itemIndex?: number): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (!(error instanceof HomeAssistantError)) {
		return new NodeOperationError(node, error instanceof Error ? error : String(error), { itemIndex });
	}
	if (error.kind === 'cancelled')
		return new NodeOperationError(node, 'Execution was cancelled', { itemIndex });
	const body: JsonObject = {
		kind: error.kind,
		// Key names NodeApiError does not search for a status (code, errorCode, status, body, ...): it would take
		// ECONNREFUSED & co. for one and swap the message for a generic sentence without the address.
		...(error.code ? { homeAssistantCode: error.code } : {}),
		...(error.status ? { httpStatus: error.status } : {}),
		...(error.body !== undefined ? { homeAssistantAnswer: error.body as JsonObject } : {}),
	};
	let description = DESCRIPTIONS[error.kind] ?? (error.code ? DESCRIPTIONS[error.code] : undefined);
	if (error.kind === 'command' && error.code)
		description = DESCRIPTIONS[error.code] ?? `Home Assistant error code: ${error.code}`;
	if (error.kind === 'http' && error.status === 404)
		description = 'The entity or path does not exist in Home Assistant';
	if (error.kind === 'connection' && error.code) description = `${description} (${error.code})`;
	return new NodeApiError(node, body, {
		message: error.message,
		description,
		httpCode: error.status ? String(error.status) : error.kind === 'auth' ? '401' : undefined,
		itemIndex,
	});
}

/** Runs a client call and converts its failure. */
export async function call<T>(ctx: AnyContext, work: () => Promise<T>, itemIndex?: number): Promise<T> {
	try {
		return await work();
	} catch (error) {
		throw toNodeError(ctx.getNode(), error, itemIndex);
	}
}

/** Parses a JSON parameter that n8n may hand over as text or as an object. */
export function jsonParameter(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
): Record<string, unknown> {
	const raw = ctx.getNodeParameter(name, itemIndex, {}) as unknown;
	if (raw === undefined || raw === null || raw === '') return {};
	let value: unknown = raw;
	if (typeof raw === 'string') {
		try {
			value = JSON.parse(raw) as unknown;
		} catch (error) {
			throw new NodeOperationError(
				ctx.getNode(),
				`"${name}" is not valid JSON: ${(error as Error).message}`,
				{
					itemIndex,
				},
			);
		}
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new NodeOperationError(ctx.getNode(), `"${name}" must be a JSON object like {"brightness": 120}`, {
			itemIndex,
		});
	}
	return value as Record<string, unknown>;
}

/** Reads a resource locator parameter's value ("light.kitchen"). */
export function entityParameter(ctx: IExecuteFunctions, name: string, itemIndex: number): string {
	const value = asTrimmedText(ctx.getNodeParameter(name, itemIndex, '', { extractValue: true }));
	if (!/^[a-z0-9_]+\.[a-z0-9_]+$/.test(value)) {
		throw new NodeOperationError(ctx.getNode(), `"${value}" is not an entity ID`, {
			itemIndex,
			description: 'An entity ID looks like light.kitchen: pick one from the list',
		});
	}
	return value;
}

/** A dateTime parameter as ISO text; empty means `fallback`. */
export function timeParameter(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback: Date,
): string {
	const raw = ctx.getNodeParameter(name, itemIndex, '') as string | Date;
	if (!raw) {
		if (Number.isNaN(fallback.getTime())) {
			throw new NodeOperationError(ctx.getNode(), `"${name}" is empty`, { itemIndex });
		}
		return fallback.toISOString();
	}
	const parsed = new Date(raw);
	if (Number.isNaN(parsed.getTime())) {
		throw new NodeOperationError(ctx.getNode(), `"${String(raw)}" is not a date and time`, { itemIndex });
	}
	return parsed.toISOString();
}
