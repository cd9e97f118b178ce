// LXC containers: list, read, create, clone, restore, reconfigure, power, migrate, template, delete. One family
// of ProxmoxClient (client.ts says why the families are stacked classes).

import { sleep } from '../../shared/timing';
import { checkArchive } from './backups';
import { ProxmoxInputError } from './errors';
import { seg } from './session';
import { SnapshotApis } from './snapshots';
import type {
	ContainerCreateOptions,
	ContainerPowerAction,
	Params,
	PveVmConfig,
	PveVmListEntry,
	PveVmStatus,
	RestoreOptions,
} from './types';
import { assertNodeName, assertVmid, parseSshKeys } from './validation';

export class ContainerApis extends SnapshotApis {
	async containers(node: string): Promise<PveVmListEntry[]> {
		return await this.get(`/nodes/${seg(assertNodeName(node))}/lxc`);
	}

	async containerStatus(node: string, vmid: number | string): Promise<PveVmStatus> {
		return await this.get(`${this.vmPath(node, vmid, 'lxc')}/status/current`);
	}

	async containerConfig(node: string, vmid: number | string): Promise<PveVmConfig> {
		return await this.get(`${this.vmPath(node, vmid, 'lxc')}/config`);
	}

	/** POST /nodes/{node}/lxc → UPID (vzcreate). */
	async createContainer(node: string, options: ContainerCreateOptions): Promise<string> {
		const { sshPublicKeys, ...rest } = options;
		if (!options.ostemplate?.trim()) {
			throw new ProxmoxInputError(
				'ostemplate is empty: pass a container template volume',
				'ostemplate',
				'e.g. local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst (Node → List Storage Content, Container Templates)',
			);
		}
		return await this.post(`/nodes/${seg(assertNodeName(node))}/lxc`, {
			...rest,
			vmid: assertVmid(options.vmid),
			ostemplate: options.ostemplate.trim(),
			'ssh-public-keys': sshPublicKeys ? parseSshKeys(sshPublicKeys).join('\n') : undefined,
		} as Params);
	}

	/** POST /nodes/{node}/lxc/{vmid}/clone → UPID (vzclone). */
	async cloneContainer(
		node: string,
		vmid: number | string,
		options: {
			newid: number;
			hostname?: string;
			description?: string;
			full?: boolean;
			target?: string;
			storage?: string;
			pool?: string;
		},
	): Promise<string> {
		return await this.post(`${this.vmPath(node, vmid, 'lxc')}/clone`, {
			...options,
			newid: assertVmid(options.newid, 'newid'),
			target: options.target ? assertNodeName(options.target, 'target') : undefined,
		} as Params);
	}

	/** PUT /nodes/{node}/lxc/{vmid}/config (synchronous, answers null). */
	async updateContainerConfig(node: string, vmid: number | string, params: Params): Promise<null> {
		return await this.put(`${this.vmPath(node, vmid, 'lxc')}/config`, params);
	}

	/** POST /nodes/{node}/lxc/{vmid}/status/{action} → UPID. */
	async containerPower(
		node: string,
		vmid: number | string,
		action: ContainerPowerAction,
		params: Params = {},
	): Promise<string> {
		return await this.post(`${this.vmPath(node, vmid, 'lxc')}/status/${action}`, params);
	}

	/** DELETE /nodes/{node}/lxc/{vmid} → UPID (vzdestroy). */
	async deleteContainer(
		node: string,
		vmid: number | string,
		params: { purge?: boolean; force?: boolean } = {},
	): Promise<string> {
		return await this.delete(this.vmPath(node, vmid, 'lxc'), params);
	}

	/**
	 * POST /nodes/{node}/lxc with ostemplate=<backup volid> and restore=1 → UPID (vzrestore): pve-container's
	 * create_vm restores when `restore` is set, reading the container's config from the archive.
	 */
	async restoreContainer(node: string, options: RestoreOptions): Promise<string> {
		const { archive: raw, ...rest } = options;
		const archive = checkArchive(raw, 'lxc');
		return await this.post(`/nodes/${seg(assertNodeName(node))}/lxc`, {
			...rest,
			vmid: assertVmid(options.vmid),
			ostemplate: archive,
			restore: true,
		});
	}

	/**
	 * POST /nodes/{node}/lxc/{vmid}/migrate → UPID (vzmigrate). Containers have no live migration: a running
	 * one moves only with `restart` (shut down, moved, started on the target; `timeout` for the shutdown).
	 */
	async migrateContainer(
		node: string,
		vmid: number | string,
		options: {
			target: string;
			restart?: boolean;
			timeout?: number;
			'target-storage'?: string;
			bwlimit?: number;
		},
	): Promise<string> {
		return await this.post(`${this.vmPath(node, vmid, 'lxc')}/migrate`, {
			...options,
			target: assertNodeName(options.target, 'target'),
		});
	}

	/**
	 * POST /nodes/{node}/lxc/{vmid}/template. Unlike the VM call, pve-container answers null although it forks a
	 * "vztemplate" task; that task is found in the node's task list (the one that was not there before the call)
	 * so it can be waited for like any other. Resolves with its UPID, or null when it cannot be found.
	 */
	async convertContainerToTemplate(node: string, vmid: number | string): Promise<string | null> {
		const id = assertVmid(vmid);
		const list = async () =>
			(await this.nodeTasks(node, { vmid: id, typefilter: 'vztemplate', source: 'all', limit: 100 })).map(
				(task) => task.upid,
			);
		const before = new Set(await list());
		await this.post(`${this.vmPath(node, id, 'lxc')}/template`);
		for (let attempt = 0; attempt < 5; attempt++) {
			const found = (await list()).find((upid) => !before.has(upid));
			if (found) return found;
			await sleep(200);
		}
		return null;
	}

	/** GET /nodes/{node}/lxc/{vmid}/interfaces: addresses as the host sees them (no agent needed). */
	async containerInterfaces(
		node: string,
		vmid: number | string,
	): Promise<Array<{ name: string; hwaddr?: string; inet?: string; inet6?: string }>> {
		return await this.get(`${this.vmPath(node, vmid, 'lxc')}/interfaces`);
	}
}
