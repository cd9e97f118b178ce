// The node's only way to Proxmox: builds the shared client (clients/proxmox) from the credential, waits for
// tasks with progress and cancellation, and turns the client's errors into NodeApiError / NodeOperationError
// with hints a homelab user can act on.
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INode,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	ProxmoxApiError,
	ProxmoxCancelledError,
	ProxmoxClient,
	ProxmoxInputError,
	ProxmoxTaskError,
	ProxmoxTimeoutError,
	type TaskResult,
} from '../../../clients/proxmox';
import { describeError } from '../../../shared/errors';

export interface ProxmoxVeCredential {
	baseUrl: string;
	authType: 'token' | 'password';
	tokenId?: string;
	tokenSecret?: string;
	username?: string;
	password?: string;
	allowSelfSigned?: boolean;
}

/** A client for the credential's data; input errors (token format, URL) surface as ProxmoxInputError. */
export function clientFromCredential(
	data: ICredentialDataDecryptedObject,
	pollIntervalMs?: number,
): ProxmoxClient {
	const credential = data as unknown as ProxmoxVeCredential;
	return new ProxmoxClient({
		baseUrl: credential.baseUrl ?? '',
		auth:
			credential.authType === 'password'
				? { type: 'password', username: credential.username ?? '', password: credential.password ?? '' }
				: { type: 'token', tokenId: credential.tokenId ?? '', secret: credential.tokenSecret ?? '' },
		allowSelfSigned: credential.allowSelfSigned === true,
		pollIntervalMs,
	});
}

export async function getClient(
	this: IExecuteFunctions | ILoadOptionsFunctions,
	pollIntervalMs?: number,
): Promise<ProxmoxClient> {
	const data = await this.getCredentials('proxmoxVeApi');
	try {
		return clientFromCredential(data, pollIntervalMs);
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	}
}

/** The hint for a 403: what is missing, and why API tokens so often lack it. */
export function forbiddenHint(error: ProxmoxApiError, identity: string): string {
	const missing = error.missingPrivilege;
	const what = missing
		? `${identity} lacks the privilege ${missing.privilege} on ${missing.path}. `
		: `${identity} lacks a privilege for this call. `;
	const token = identity.includes('!')
		? 'API tokens created with "Privilege Separation" only have the permissions given to the token itself, even when the user has more: add one under Datacenter → Permissions → Add → API Token Permission (e.g. role PVEVMAdmin on /vms, PVEDatastoreUser on /storage), or recreate the token without Privilege Separation.'
		: 'Give the user a role containing it under Datacenter → Permissions → Add → User Permission.';
	return what + token;
}

/** Any failure of the client, as the n8n error that explains it best. */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
	identity = 'The credential',
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof ProxmoxInputError) {
		return new NodeOperationError(node, error.message, { itemIndex, description: error.hint });
	}
	if (error instanceof ProxmoxTaskError) {
		return new NodeOperationError(node, error.message, {
			itemIndex,
			description: `${error.hint}\n\nLast lines of the task log:\n${error.logTail.join('\n') || '(empty)'}\n\nTask: ${error.upid}`,
		});
	}
	if (error instanceof ProxmoxTimeoutError) {
		return new NodeOperationError(node, error.message, {
			itemIndex,
			description: error.upid
				? `The task keeps running on Proxmox. Raise "Timeout" in the options, or check it later with Cluster → Get Task Status (task ${error.upid}).`
				: 'Check that qemu-guest-agent is installed and running in the guest and that "QEMU Guest Agent" is enabled in the VM options, or raise the timeout.',
		});
	}
	if (error instanceof ProxmoxCancelledError) {
		return new NodeOperationError(node, error.message, { itemIndex });
	}
	if (error instanceof ProxmoxApiError) {
		const { status, method, path } = error.details;
		const where = `${method} ${path}`;
		let description: string;
		if (status === 0) {
			description = /self-signed/.test(error.message)
				? 'Turn on "Allow Self-Signed Certificate" in the credential, or give Proxmox a trusted certificate (ACME).'
				: `Check the Base URL (with port 8006) and that n8n can reach it (${where}).`;
		} else if (status === 401) {
			description =
				'Proxmox did not accept the credential: check the Token ID (USER@REALM!TOKENNAME) and its secret, or the user name with realm and the password.';
		} else if (status === 403) {
			description = forbiddenHint(error, identity);
		} else if (status === 400) {
			description = `Proxmox rejected parameters of ${where}: ${Object.entries(error.details.errors ?? {})
				.map(([key, value]) => `${key}: ${value}`)
				.join('; ')}`;
		} else {
			description = `Proxmox answered ${status} to ${where}`;
		}
		return new NodeApiError(node, { message: error.message, httpCode: String(status) } as JsonObject, {
			message: status === 0 ? error.message : `Proxmox VE: ${error.message}`,
			description,
			httpCode: status ? String(status) : undefined,
			itemIndex,
		});
	}
	return new NodeOperationError(node, describeError(error), { itemIndex });
}

/** Runs `work` with the client, converting any failure. */
export async function withClient<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	work: (client: ProxmoxClient) => Promise<T>,
): Promise<T> {
	const pollIntervalMs = ctx.getNodeParameter('taskOptions.pollInterval', itemIndex, 1000) as number;
	const client = await getClient.call(ctx, pollIntervalMs);
	try {
		return await work(client);
	} catch (error) {
		throw toNodeError(ctx.getNode(), error, itemIndex, client.identity);
	}
}

/**
 * When "Wait for Completion" is on, polls the task until it stops (progress to the editor and the log,
 * cancelled with the execution) and returns its final status; otherwise just the UPID.
 */
export async function maybeWait(
	ctx: IExecuteFunctions,
	itemIndex: number,
	client: ProxmoxClient,
	upid: string | null,
): Promise<IDataObject> {
	if (!upid) return { upid: null, waited: false };
	const wait = ctx.getNodeParameter('waitForCompletion', itemIndex, true) as boolean;
	if (!wait) return { upid, waited: false };
	const timeoutSeconds = ctx.getNodeParameter('taskOptions.timeout', itemIndex, 600) as number;
	const task: TaskResult = await client.waitForTask(upid, {
		timeoutMs: timeoutSeconds * 1000,
		signal: ctx.getExecutionCancelSignal(),
		onProgress: (progress) => {
			for (const line of progress.newLogLines) {
				ctx.logger.debug(`Proxmox task ${upid}: ${line}`);
				ctx.sendMessageToUI(`Proxmox ${progress.upid.split(':')[5] ?? 'task'}: ${line}`);
			}
		},
	});
	return { upid, waited: true, task: task as unknown as IDataObject };
}
