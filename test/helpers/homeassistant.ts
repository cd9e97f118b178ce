import type { N8n, WorkflowNode } from '../harness/n8n';
import type { HomeAssistantSimulator } from '../simulators/homeassistant';

export const HA_CREDENTIAL_TYPE = 'homelabHomeAssistantApi';

export interface HaCredential {
	id: string;
	name: string;
}

/** Creates an n8n credential pointing at the simulator (token given, or the simulator's own). */
export async function haCredential(
	n8n: N8n,
	sim: HomeAssistantSimulator,
	token = sim.token,
): Promise<HaCredential> {
	const name = `HA sim ${sim.port} ${Date.now()}`;
	const id = await n8n.createCredential(name, HA_CREDENTIAL_TYPE, {
		url: sim.url,
		accessToken: token,
		ignoreSslIssues: false,
	});
	return { id, name };
}

/** A Home Assistant node with the credential attached. */
export function haNode(
	name: string,
	credential: HaCredential,
	parameters: Record<string, unknown>,
	extra: Record<string, unknown> = {},
): WorkflowNode {
	return {
		name,
		type: 'n8n-nodes-homelab.homeAssistant',
		typeVersion: 1,
		parameters,
		credentials: { [HA_CREDENTIAL_TYPE]: credential },
		...extra,
	};
}

/** An entity resource-locator value typed by ID. */
export function entity(id: string): Record<string, unknown> {
	return { __rl: true, mode: 'id', value: id };
}
