// Access, cluster, node and storage calls: one family of ProxmoxClient (client.ts says why the families are
// stacked classes).

import { ProxmoxInputError } from './errors';
import { ProxmoxSession, seg } from './session';
import type {
	PveClusterResource,
	PveNode,
	PveNodeTask,
	PveStorage,
	PveStorageContent,
	PveTaskListEntry,
	PveVersion,
} from './types';
import { assertNodeName, assertVmid } from './validation';

export class ClusterApis extends ProxmoxSession {
	// ---- Access / cluster ----------------------------------------------------------------------------------

	/** GET /version: any authenticated user or token may call it; the cheapest "are we logged in" check. */
	async version(): Promise<PveVersion> {
		return await this.get<PveVersion>('/version');
	}

	/** GET /access/permissions: the effective privileges per ACL path of the current user or token. */
	async permissions(): Promise<Record<string, Record<string, 0 | 1>>> {
		return await this.get('/access/permissions');
	}

	/** GET /cluster/nextid (Proxmox answers the id as a string). */
	async nextId(vmid?: number): Promise<number> {
		const id = await this.get<string | number>(
			'/cluster/nextid',
			vmid === undefined ? undefined : { vmid: assertVmid(vmid) },
		);
		return Number(id);
	}

	async clusterStatus(): Promise<Array<Record<string, unknown>>> {
		return await this.get('/cluster/status');
	}

	/** GET /cluster/resources, type one of vm, storage, node, sdn. */
	async clusterResources(type?: 'vm' | 'storage' | 'node' | 'sdn'): Promise<PveClusterResource[]> {
		return await this.get('/cluster/resources', { type });
	}

	async clusterTasks(): Promise<PveTaskListEntry[]> {
		return await this.get('/cluster/tasks');
	}

	/**
	 * GET /nodes/{node}/tasks: the node's tasks, newest first. `source` archive (default: finished tasks only),
	 * active or all; filters by vmid, type (typefilter, e.g. vztemplate), user and errors.
	 */
	async nodeTasks(
		node: string,
		params: {
			vmid?: number;
			typefilter?: string;
			userfilter?: string;
			source?: 'archive' | 'active' | 'all';
			errors?: boolean;
			since?: number;
			limit?: number;
			start?: number;
		} = {},
	): Promise<PveNodeTask[]> {
		return await this.get(`/nodes/${seg(assertNodeName(node))}/tasks`, {
			...params,
			vmid: params.vmid === undefined ? undefined : assertVmid(params.vmid),
		});
	}

	// ---- Nodes and storage ---------------------------------------------------------------------------------

	async nodes(): Promise<PveNode[]> {
		return await this.get('/nodes');
	}

	async nodeStatus(node: string): Promise<Record<string, unknown>> {
		return await this.get(`/nodes/${seg(assertNodeName(node))}/status`);
	}

	async storages(node: string, params: { content?: string; enabled?: boolean } = {}): Promise<PveStorage[]> {
		return await this.get(`/nodes/${seg(assertNodeName(node))}/storage`, params);
	}

	async storageContent(
		node: string,
		storage: string,
		params: { content?: string; vmid?: number } = {},
	): Promise<PveStorageContent[]> {
		if (!storage.trim())
			throw new ProxmoxInputError('storage is empty: name a storage such as local', 'storage');
		return await this.get(`/nodes/${seg(assertNodeName(node))}/storage/${seg(storage.trim())}/content`, {
			content: params.content,
			vmid: params.vmid === undefined ? undefined : assertVmid(params.vmid),
		});
	}
}
