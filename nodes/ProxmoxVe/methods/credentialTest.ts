// The credential test: tells a wrong token or password (401) from a token that authenticates but has no
// privileges (403 — usually an API token created with "Privilege Separation" and no permissions of its own).
import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { ProxmoxApiError, ProxmoxInputError, type ProxmoxClient } from '../../../clients/proxmox';
import { describeError } from '../../../shared/errors';
import { clientFromCredential, forbiddenHint } from '../transport';

function explain(error: unknown, client?: ProxmoxClient): string {
	if (error instanceof ProxmoxInputError) return `${error.message}${error.hint ? `. ${error.hint}` : ''}`;
	if (error instanceof ProxmoxApiError) {
		if (error.status === 401) {
			return `Authentication failed (401 ${error.message}): check the Token ID (USER@REALM!TOKENNAME) and secret, or the user with realm and password`;
		}
		if (error.status === 403) {
			return `Authenticated, but Proxmox answered 403 ${error.message}. ${forbiddenHint(error, client?.identity ?? 'The credential')}`;
		}
		if (error.status === 0) {
			return /self-signed/.test(error.message)
				? `${error.message}: turn on "Allow Self-Signed Certificate" or install a trusted certificate`
				: error.message;
		}
		return `Proxmox answered ${error.status}: ${error.message}`;
	}
	return describeError(error);
}

export async function proxmoxVeApiCredentialTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	let client: ProxmoxClient | undefined;
	try {
		client = clientFromCredential(credential.data ?? {});
		const version = await client.version();
		const permissions = await client.permissions();
		if (Object.keys(permissions).length === 0) {
			// No privilege anywhere: provoke the real 403 so the message names a missing privilege.
			const nodes = await client.nodes();
			if (nodes[0]) await client.nodeStatus(nodes[0].node);
			return {
				status: 'Error',
				message: `Authenticated as ${client.identity}, but it has no privileges at all. ${forbiddenHint(new ProxmoxApiError('', { method: 'GET', path: '/', status: 403 }), client.identity)}`,
			};
		}
		return {
			status: 'OK',
			message: `Connected to Proxmox VE ${version.version} as ${client.identity}`,
		};
	} catch (error) {
		return { status: 'Error', message: explain(error, client) };
	}
}
