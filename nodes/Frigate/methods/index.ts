import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	ILoadOptionsFunctions,
	INodeCredentialTestResult,
	INodeListSearchResult,
} from 'n8n-workflow';

import { FrigateClient } from '../../../clients/frigate';
import { closeMqtt, connectMqtt } from '../../../clients/mqtt';
import { frigateCall, frigateConnection, mqttConnection, releaseClient } from '../transport';

export async function frigateApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	try {
		const client = new FrigateClient(frigateConnection(credential.data ?? {}));
		try {
			const cameras = await client.cameraNames();
			return { status: 'OK', message: `Connected: ${cameras.length} camera(s)` };
		} finally {
			client.close();
		}
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
}

export async function mqttBrokerApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	try {
		const config = mqttConnection(credential.data ?? {});
		const client = await connectMqtt(config, {
			clientId: `${config.clientId || 'n8n-homelab'}-test-${Math.random().toString(16).slice(2, 8)}`,
			connectTimeoutMs: 8000,
		});
		await closeMqtt(client);
		return { status: 'OK', message: 'Connected to the broker' };
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
}

function matches(filter: string | undefined, ...values: Array<string | null | undefined>): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return values.some((value) => value?.toLowerCase().includes(needle));
}

export async function searchCameras(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const names = await frigateCall(this, 0, async (client) => await client.cameraNames()).finally(() =>
		releaseClient.call(this),
	);
	return { results: names.filter((name) => matches(filter, name)).map((name) => ({ name, value: name })) };
}

export async function searchEvents(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const events = await frigateCall(
		this,
		0,
		async (client) => await client.listEvents({ limit: 100 }),
	).finally(() => releaseClient.call(this));
	return {
		results: events
			.filter((event) => matches(filter, event.id, event.camera, event.label, String(event.sub_label ?? '')))
			.map((event) => ({
				name: `${event.camera}: ${event.label}${event.sub_label ? ` (${String(event.sub_label)})` : ''} at ${new Date(event.start_time * 1000).toISOString().replace('T', ' ').slice(0, 19)}`,
				value: event.id,
			})),
	};
}
