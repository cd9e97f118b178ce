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
	DockerClient,
	DockerError,
	StackManager,
	type DockerConnectionOptions,
} from '../../../clients/docker';

export const CREDENTIAL_NAME = 'dockerHostApi';

/** The Docker Host credential's fields, as the client takes them. */
export function connectionOptions(credentials: ICredentialDataDecryptedObject): DockerConnectionOptions {
	const connection = (credentials.connection as DockerConnectionOptions['connection']) ?? 'socket';
	const number = (value: unknown) => (value === undefined || value === '' ? undefined : Number(value));
	return {
		connection,
		socketPath: (credentials.socketPath as string) || '/var/run/docker.sock',
		host: ((connection === 'ssh' ? credentials.sshHost : credentials.host) as string | undefined)?.trim(),
		port: number(connection === 'ssh' ? credentials.sshPort : credentials.port),
		tls: credentials.tls as boolean | undefined,
		ca: credentials.ca as string | undefined,
		cert: credentials.cert as string | undefined,
		key: credentials.clientPrivateKey as string | undefined,
		rejectUnauthorized: credentials.skipVerify === true ? false : undefined,
		username: credentials.sshUser as string | undefined,
		privateKey: credentials.privateKey as string | undefined,
		passphrase: credentials.passphrase as string | undefined,
		password: credentials.sshPassword as string | undefined,
		readOnly: credentials.readOnly === true,
		timeoutMs: number(credentials.timeout),
	};
}

// One client per node run: n8n reads (and decrypts) credentials from its database on every getCredentials call,
// which would cost more than the Docker call itself when a node runs for hundreds of items.
const clients = new WeakMap<object, Promise<DockerClient>>();

export async function dockerClient(
	ctx: IExecuteFunctions | ILoadOptionsFunctions | ITriggerFunctions,
	itemIndex?: number,
): Promise<DockerClient> {
	let client = clients.get(ctx);
	if (!client) {
		client = (async () => {
			const credentials =
				itemIndex === undefined
					? await ctx.getCredentials(CREDENTIAL_NAME)
					: await (ctx as IExecuteFunctions).getCredentials(CREDENTIAL_NAME, itemIndex);
			return new DockerClient(connectionOptions(credentials));
		})();
		clients.set(ctx, client);
		client.catch(() => clients.delete(ctx));
	}
	return await client;
}

export async function stackManager(ctx: IExecuteFunctions, itemIndex: number): Promise<StackManager> {
	return new StackManager(await dockerClient(ctx, itemIndex));
}

/**
 * A DockerError as the n8n error users see: the engine's answer as a NodeApiError (with its HTTP status),
 * anything else (unreachable host, invalid input, read-only refusal) as a NodeOperationError; the hint becomes
 * the description.
 */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof DockerError) {
		if (error.statusCode) {
			return new NodeApiError(node, { message: error.message, statusCode: error.statusCode } as JsonObject, {
				message: error.message,
				description: error.hint,
				httpCode: String(error.statusCode),
				itemIndex,
			});
		}
		return new NodeOperationError(node, error.message, { description: error.hint, itemIndex });
	}
	return new NodeOperationError(node, error instanceof Error ? error : new Error(String(error)), {
		itemIndex,
	});
}

/** Sends a progress line to the editor (manual runs), at most every 250 ms, never failing the operation. */
export function progressReporter(
	ctx: IExecuteFunctions,
	prefix: string,
): (event: { message: string }) => void {
	let last = 0;
	return (event) => {
		const now = Date.now();
		if (now - last < 250) return;
		last = now;
		try {
			ctx.sendMessageToUI(`${prefix}: ${event.message}`);
		} catch {
			// the editor is not listening (production run): progress is optional
		}
	};
}
