import { createHash } from 'node:crypto';

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INode,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	SynologyApiError,
	SynologyClient,
	SynologyInputError,
	SynologyTransportError,
	type DeviceIdStore,
	type ProgressListener,
} from '../../../clients/synology';
import { describeError } from '../../../shared/errors';

// Where the DSM device id lives between executions. n8n offers nodes no credential-scoped storage they can
// write (credentials are encrypted and only n8n's own OAuth code updates them), so the id is kept in two places:
//  1. a process-wide map keyed by DSM URL + account: every workflow, the credential test and the dropdowns of
//     this n8n share it, so one OTP login trusts n8n for all of them until n8n restarts;
//  2. the workflow's static data (`getWorkflowStaticData('global')`, under a hash of URL + account), which n8n
//     saves to its database after production executions and trigger polls, so the trust survives restarts.
// A DSM device id alone cannot log in: it only replaces the 2-step code, the password is still required.
// With the OTP secret in the credential, a lost or revoked id is replaced automatically by a fresh code.
const processDeviceIds = new Map<string, string>();

export const CREDENTIAL_NAME = 'synologyDsmApi';

/** The static-data key of a device id: a hash, so exported workflows do not reveal the NAS or the account. */
export function deviceIdKey(key: string): string {
	return createHash('sha256').update(key).digest('hex').slice(0, 24);
}

export function deviceStore(staticData?: IDataObject): DeviceIdStore {
	return {
		get: (key) => {
			const saved = (staticData?.synologyDeviceIds as IDataObject | undefined)?.[deviceIdKey(key)];
			return processDeviceIds.get(key) ?? (typeof saved === 'string' ? saved : undefined);
		},
		set: (key, deviceId) => {
			processDeviceIds.set(key, deviceId);
			if (staticData) {
				const ids = (staticData.synologyDeviceIds as IDataObject | undefined) ?? {};
				ids[deviceIdKey(key)] = deviceId;
				staticData.synologyDeviceIds = ids;
			}
		},
	};
}

function text(value: unknown): string {
	return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

export function clientFromCredentials(
	credentials: ICredentialDataDecryptedObject,
	options: { staticData?: IDataObject; signal?: AbortSignal; pollIntervalMs?: number } = {},
): SynologyClient {
	return new SynologyClient({
		url: text(credentials.url),
		account: text(credentials.account),
		password: text(credentials.password),
		otpSecret: text(credentials.otpSecret) || undefined,
		otpCode: text(credentials.otpCode) || undefined,
		deviceName: text(credentials.deviceName) || 'n8n',
		allowSelfSigned: credentials.allowUnauthorizedCerts === true,
		deviceStore: deviceStore(options.staticData),
		signal: options.signal,
		pollIntervalMs: options.pollIntervalMs,
	});
}

export async function synologyClient(
	ctx: IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions,
): Promise<SynologyClient> {
	const credentials = await ctx.getCredentials(CREDENTIAL_NAME);
	const staticData = 'getWorkflowStaticData' in ctx ? ctx.getWorkflowStaticData('global') : undefined;
	const signal = 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
	try {
		return clientFromCredentials(credentials, { staticData, signal });
	} catch (error) {
		throw toNodeError(ctx.getNode(), error);
	}
}

const HINTS: Record<number, string> = {
	105: 'Give the DSM account the privilege in Control Panel → User & Group (shared folder permissions, application privileges).',
	119: 'The session ended and a fresh login failed too; check the credential.',
	403: 'Open the credential and set the OTP secret (recommended) or a current OTP code.',
	404: 'Check the OTP secret, or enter a fresh code; the clocks of n8n and the NAS must agree within 30 s.',
	407: 'DSM blocked the IP of n8n after failed logins: remove it in Control Panel → Security → Protection.',
	408: 'Check the path: it starts with the shared folder, e.g. /docker/compose.yml.',
};

/** Turns any failure of the client into an n8n error whose message says what happened in words. */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof SynologyApiError) {
		const hint =
			error.api === 'SYNO.API.Auth' || error.code === 105 || error.code === 408
				? HINTS[error.code]
				: undefined;
		return new NodeApiError(node, { api: error.api, method: error.method, code: error.code } as JsonObject, {
			message: error.message,
			description: hint ?? (error.details ? `DSM details: ${JSON.stringify(error.details)}` : undefined),
			itemIndex,
		});
	}
	if (error instanceof SynologyInputError) {
		return new NodeOperationError(node, error.message, { itemIndex });
	}
	if (error instanceof SynologyTransportError) {
		return new NodeApiError(node, { message: error.message } as JsonObject, {
			message: `Synology DSM: ${describeError(error)}`,
			httpCode: error.status ? String(error.status) : undefined,
			itemIndex,
		});
	}
	return new NodeOperationError(node, `Synology DSM: ${describeError(error)}`, { itemIndex });
}

/** Progress of a long operation, shown in the browser console of the editor while the node runs. */
export function progressReporter(ctx: IExecuteFunctions, label: string): ProgressListener {
	let last = '';
	return (progress) => {
		const percent =
			progress.progress !== undefined
				? `${Math.round(progress.progress * 100)}%`
				: progress.finished
					? 'done'
					: '…';
		const text = `Synology ${label}: ${percent}`;
		if (text === last) return;
		last = text;
		ctx.sendMessageToUI(text);
	};
}
