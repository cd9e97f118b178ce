// QEMU VMs: list, read, create, clone, restore, reconfigure, power, migrate, delete, and wait for the guest
// agent's address. One family of ProxmoxClient (client.ts says why the families are stacked classes).

import { sleep } from '../../shared/timing';
import { BackupApis, checkArchive } from './backups';
import { ProxmoxApiError, ProxmoxCancelledError, ProxmoxInputError, ProxmoxTimeoutError } from './errors';
import { seg } from './session';
import type {
	CloneOptions,
	GuestIpOptions,
	GuestIpResult,
	Params,
	PveAgentInterface,
	PveClusterResource,
	PveVmConfig,
	PveVmListEntry,
	PveVmStatus,
	RestoreOptions,
	VmPowerAction,
} from './types';
import { assertNodeName, assertPollInterval, assertVmid } from './validation';

export class QemuApis extends BackupApis {
	async vms(node: string): Promise<PveVmListEntry[]> {
		return await this.get(`/nodes/${seg(assertNodeName(node))}/qemu`);
	}

	async vmStatus(node: string, vmid: number | string): Promise<PveVmStatus> {
		return await this.get(`${this.vmPath(node, vmid)}/status/current`);
	}

	async vmConfig(node: string, vmid: number | string): Promise<PveVmConfig> {
		return await this.get(`${this.vmPath(node, vmid)}/config`);
	}

	/** POST /nodes/{node}/qemu/{vmid}/clone → UPID. */
	async cloneVm(node: string, vmid: number | string, options: CloneOptions): Promise<string> {
		return await this.post(`${this.vmPath(node, vmid)}/clone`, {
			...options,
			newid: assertVmid(options.newid, 'newid'),
			target: options.target ? assertNodeName(options.target, 'target') : undefined,
		} as Params);
	}

	/**
	 * POST /nodes/{node}/qemu/{vmid}/config (the asynchronous variant): answers a UPID when the change runs as a
	 * task (disk moves, hotplug) and null when it was applied at once. `delete` lists keys to remove.
	 */
	async updateVmConfig(node: string, vmid: number | string, params: Params): Promise<string | null> {
		return await this.post(`${this.vmPath(node, vmid)}/config`, params);
	}

	/** PUT /nodes/{node}/qemu/{vmid}/resize: grow a disk, size like "+10G" or "50G". */
	async resizeVmDisk(
		node: string,
		vmid: number | string,
		disk: string,
		size: string,
	): Promise<string | null> {
		return await this.put(`${this.vmPath(node, vmid)}/resize`, { disk, size });
	}

	/** POST /nodes/{node}/qemu/{vmid}/status/{action} → UPID. */
	async vmPower(
		node: string,
		vmid: number | string,
		action: VmPowerAction,
		params: Params = {},
	): Promise<string> {
		return await this.post(`${this.vmPath(node, vmid)}/status/${action}`, params);
	}

	/** DELETE /nodes/{node}/qemu/{vmid} → UPID. */
	async deleteVm(
		node: string,
		vmid: number | string,
		params: { purge?: boolean; 'destroy-unreferenced-disks'?: boolean } = {},
	): Promise<string> {
		return await this.delete(this.vmPath(node, vmid), params);
	}

	/** POST /nodes/{node}/qemu/{vmid}/template: turn a stopped VM into a template (a qmtemplate task). */
	async convertToTemplate(node: string, vmid: number | string): Promise<string | null> {
		return await this.post(`${this.vmPath(node, vmid)}/template`);
	}

	/** POST /nodes/{node}/qemu/{vmid}/migrate → UPID; a running VM needs online, local disks with-local-disks. */
	async migrateVm(
		node: string,
		vmid: number | string,
		options: { target: string; online?: boolean; 'with-local-disks'?: boolean; targetstorage?: string },
	): Promise<string> {
		return await this.post(`${this.vmPath(node, vmid)}/migrate`, {
			...options,
			target: assertNodeName(options.target, 'target'),
		});
	}

	/**
	 * POST /nodes/{node}/qemu → UPID (qmcreate): a new VM from parameters (name, cores, memory, scsi0 like
	 * "local-lvm:32", ide2 like "local:iso/x.iso,media=cdrom", net0, ostype, agent, start...).
	 */
	async createVm(node: string, vmid: number, params: Params): Promise<string> {
		if ('archive' in params) {
			throw new ProxmoxInputError('Use restoreVm to create a VM from a backup', 'archive');
		}
		return await this.post(`/nodes/${seg(assertNodeName(node))}/qemu`, { ...params, vmid: assertVmid(vmid) });
	}

	/** POST /nodes/{node}/qemu with archive=<backup volid> → UPID (qmrestore). */
	async restoreVm(node: string, options: RestoreOptions): Promise<string> {
		const archive = checkArchive(options.archive, 'qemu');
		return await this.post(`/nodes/${seg(assertNodeName(node))}/qemu`, {
			...options,
			vmid: assertVmid(options.vmid),
			archive,
		});
	}

	/** The QEMU VMs (not templates) of the cluster with exactly this name. */
	async findVmsByName(name: string): Promise<PveClusterResource[]> {
		const resources = await this.clusterResources('vm');
		return resources.filter((entry) => entry.type === 'qemu' && entry.template !== 1 && entry.name === name);
	}

	/** GET /nodes/{node}/qemu/{vmid}/agent/network-get-interfaces: 500 until the guest agent runs. */
	async agentNetworkInterfaces(node: string, vmid: number | string): Promise<PveAgentInterface[]> {
		const data = await this.get<{ result: PveAgentInterface[] }>(
			`${this.vmPath(node, vmid)}/agent/network-get-interfaces`,
		);
		return data.result ?? [];
	}

	/**
	 * Waits until the QEMU guest agent reports an address. Proxmox answers 500 ("QEMU guest agent is not
	 * running") while the guest boots, and the agent may answer before DHCP gave an address: both mean wait.
	 */
	async waitForGuestIp(
		node: string,
		vmid: number | string,
		options: GuestIpOptions = {},
	): Promise<GuestIpResult> {
		const timeoutMs = options.timeoutMs ?? 5 * 60 * 1000;
		const interval = assertPollInterval(options.pollIntervalMs ?? this.pollIntervalMs);
		const family = options.family ?? 'ipv4';
		const started = Date.now();
		let lastReason = 'no answer yet';
		for (;;) {
			if (options.signal?.aborted)
				throw new ProxmoxCancelledError(`Stopped waiting for the guest agent of VM ${vmid}`);
			try {
				const interfaces = await this.agentNetworkInterfaces(node, vmid);
				const ips = interfaces
					.filter((entry) => !options.interfaceName || entry.name === options.interfaceName)
					.flatMap((entry) =>
						(entry['ip-addresses'] ?? []).map((address) => ({
							interface: entry.name,
							address: address['ip-address'],
							family: address['ip-address-type'],
							prefix: address.prefix,
						})),
					)
					.filter((address) => family === 'any' || address.family === family)
					.filter((address) => !/^(127\.|169\.254\.|::1$|fe80:)/i.test(address.address));
				if (ips.length > 0) {
					return { ip: ips[0].address, ips, interfaces, waitedMs: Date.now() - started };
				}
				lastReason = 'the guest agent answers but reports no address yet';
			} catch (error) {
				if (!(error instanceof ProxmoxApiError) || error.status !== 500) throw error;
				const reason = error.details.reason ?? error.message;
				if (
					/No (QEMU )?guest agent configured/i.test(reason) ||
					(/is not running/i.test(reason) && !/agent/i.test(reason))
				) {
					throw error;
				}
				lastReason = reason;
			}
			options.onProgress?.(`VM ${vmid}: ${lastReason}`);
			const elapsed = Date.now() - started;
			if (elapsed >= timeoutMs) {
				throw new ProxmoxTimeoutError(
					`VM ${vmid} reported no IP address within ${Math.round(timeoutMs / 1000)} s (${lastReason})`,
				);
			}
			await sleep(Math.min(interval, Math.max(1, timeoutMs - elapsed)), options.signal).catch(
				() => undefined,
			);
		}
	}
}
