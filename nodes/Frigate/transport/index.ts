import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { FrigateApiError, FrigateClient, type FrigateConnection } from '../../../clients/frigate';
import { publishOnce, type MqttConnectionConfig } from '../../../clients/mqtt';

// The only place the Frigate node talks to Frigate (HTTP, through clients/frigate) and to the MQTT broker
// (clients/mqtt), and where their failures become n8n errors.

function text(value: unknown): string {
	if (value === undefined || value === null) return '';
	return typeof value === 'string' ? value : JSON.stringify(value);
}

export function frigateConnection(credentials: ICredentialDataDecryptedObject): FrigateConnection {
	return {
		url: text(credentials.url),
		auth: credentials.auth === 'password' ? 'password' : 'none',
		username: text(credentials.username),
		password: text(credentials.password),
		allowSelfSigned: Boolean(credentials.allowSelfSigned),
	};
}

export function mqttConnection(credentials: ICredentialDataDecryptedObject): MqttConnectionConfig {
	return {
		host: text(credentials.host),
		port: Number(credentials.port ?? 1883),
		tls: Boolean(credentials.tls),
		allowSelfSigned: Boolean(credentials.allowSelfSigned),
		ca: text(credentials.ca),
		cert: text(credentials.cert),
		key: text(credentials.privateKey),
		username: text(credentials.username),
		password: text(credentials.password),
		clientId: text(credentials.clientId),
	};
}

/** One client per execution of the node (keeps the login and the keep-alive connection across items). */
const clients = new WeakMap<object, FrigateClient>();

export async function frigateClient(this: IExecuteFunctions | ILoadOptionsFunctions): Promise<FrigateClient> {
	const key = this as object;
	const existing = clients.get(key);
	if (existing) return existing;
	const credentials = await this.getCredentials('frigateApi');
	let client: FrigateClient;
	try {
		client = new FrigateClient(frigateConnection(credentials));
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message, {
			description: 'Check the Frigate credential',
		});
	}
	clients.set(key, client);
	return client;
}

export function releaseClient(this: IExecuteFunctions | ILoadOptionsFunctions): void {
	const key = this as object;
	clients.get(key)?.close();
	clients.delete(key);
}

/** Runs a Frigate call and turns its failure into a NodeApiError that names the call and the HTTP status. */
export async function frigateCall<T>(
	ctx: IExecuteFunctions | ILoadOptionsFunctions,
	itemIndex: number,
	call: (client: FrigateClient, signal?: AbortSignal) => Promise<T>,
): Promise<T> {
	const client = await frigateClient.call(ctx);
	const signal = 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
	try {
		return await call(client, signal);
	} catch (error) {
		if (error instanceof FrigateApiError) {
			throw new NodeApiError(ctx.getNode(), { message: error.message } as JsonObject, {
				message: error.message,
				description: describeStatus(error),
				httpCode: error.status ? String(error.status) : undefined,
				itemIndex,
			});
		}
		throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
	}
}

function describeStatus(error: FrigateApiError): string {
	if (error.status === undefined)
		return 'Check the URL in the Frigate credential and that Frigate is running';
	if (error.status === 401) return 'Check the user and password in the Frigate credential';
	if (error.status === 404)
		return 'The id or camera does not exist in Frigate (or the media is not ready yet)';
	return error.frigateMessage ?? `Frigate answered ${error.status}`;
}

export async function publishMqtt(
	this: IExecuteFunctions,
	itemIndex: number,
	messages: Array<{ topic: string; payload: string; retain?: boolean }>,
): Promise<void> {
	const credentials = await this.getCredentials('mqttBrokerApi', itemIndex);
	const config = mqttConnection(credentials);
	// A one-off client id: reusing the credential's id would kick a trigger's session off the broker.
	config.clientId = `${config.clientId || 'n8n-homelab'}-pub-${Math.random().toString(16).slice(2, 10)}`;
	try {
		await publishOnce(config, messages, 1);
	} catch (error) {
		throw new NodeApiError(this.getNode(), { message: (error as Error).message } as JsonObject, {
			message: (error as Error).message,
			description: 'Check the MQTT Broker credential and that the broker runs',
			itemIndex,
		});
	}
}
