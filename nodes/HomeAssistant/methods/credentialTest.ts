import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { HomeAssistantRest, HomeAssistantSocket } from '../../../clients/homeassistant';
import { connectionOptions } from '../transport';

/** The credential test: GET /api/ over REST, then auth on the WebSocket API — the two ways the nodes talk. */
export async function homeAssistantApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	let socket: HomeAssistantSocket | undefined;
	try {
		const options = { ...connectionOptions(credential.data ?? {}), timeoutMs: 10000 };
		await new HomeAssistantRest(options).ping();
		socket = new HomeAssistantSocket({ ...options, reconnect: false, connectTimeoutMs: 10000 });
		await socket.connect();
		return {
			status: 'OK',
			message: `Connected to Home Assistant ${socket.haVersion ?? ''} (REST and WebSocket)`.replace(
				'  ',
				' ',
			),
		};
	} catch (error) {
		return { status: 'Error', message: error instanceof Error ? error.message : String(error) };
	} finally {
		await socket?.close();
	}
}

export const credentialTest = { homeAssistantApiTest };
