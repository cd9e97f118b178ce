import assert from 'node:assert/strict';

import type { N8n, WorkflowNode } from '../harness/n8n';

export interface NamedCredential {
	name: string;
	type: string;
	data: Record<string, unknown>;
}

/**
 * Creates credentials under the fixed names the workflows in workflows/ reference ("Lab IMAP", "Home Assistant",
 * ...). n8n binds a node's `{"id": null, "name": ...}` credential on import only when exactly one credential of
 * that name and type exists (workflow-helpers.js replaceInvalidCredentials), so same-named leftovers of earlier
 * test files in the shared n8n are deleted first. Returns name -> id.
 */
export async function createLabCredentials(
	n8n: N8n,
	credentials: NamedCredential[],
): Promise<Map<string, string>> {
	const existing = await n8n.api<{ data: Array<{ id: string; name: string; type: string }> }>(
		'GET',
		'/credentials?limit=250',
	);
	for (const old of existing.data) {
		if (credentials.some((wanted) => wanted.name === old.name && wanted.type === old.type))
			await n8n.api('DELETE', `/credentials/${old.id}`);
	}
	const ids = new Map<string, string>();
	for (const { name, type, data } of credentials) ids.set(name, await n8n.createCredential(name, type, data));
	return ids;
}

export async function deleteCredentials(n8n: N8n, ids: Iterable<string>): Promise<void> {
	for (const id of ids) await n8n.api('DELETE', `/credentials/${id}`).catch(() => undefined);
}

/**
 * Asserts that every credential reference of the imported workflow was bound by name to the credential created
 * under that name (the file itself carries `"id": null`), and that the file referenced at least one.
 */
export async function assertCredentialsBound(
	n8n: N8n,
	workflowId: string,
	ids: Map<string, string>,
): Promise<void> {
	const stored = await n8n.api<{ nodes: WorkflowNode[] }>('GET', `/workflows/${workflowId}`);
	let references = 0;
	for (const node of stored.nodes) {
		const credentials = (node.credentials ?? {}) as Record<string, { id: string | null; name: string }>;
		for (const [type, reference] of Object.entries(credentials)) {
			references += 1;
			assert.equal(
				reference.id,
				ids.get(reference.name),
				`${node.name}: ${type} "${reference.name}" was not bound to the credential of that name`,
			);
		}
	}
	assert.ok(references > 0, 'the workflow references no credentials');
}
