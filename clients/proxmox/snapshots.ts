// Snapshots of VMs and containers (`kind` picks the guest type). One family of ProxmoxClient (client.ts says
// why the families are stacked classes).

import { QemuApis } from './qemu';
import { seg } from './session';
import type { GuestKind, PveSnapshot } from './types';
import { assertSnapshotName } from './validation';

export class SnapshotApis extends QemuApis {
	async snapshots(node: string, vmid: number | string, kind: GuestKind = 'qemu'): Promise<PveSnapshot[]> {
		return await this.get(`${this.vmPath(node, vmid, kind)}/snapshot`);
	}

	async createSnapshot(
		node: string,
		vmid: number | string,
		snapname: string,
		options: { description?: string; vmstate?: boolean; kind?: GuestKind } = {},
	): Promise<string> {
		const { kind, ...params } = options;
		return await this.post(`${this.vmPath(node, vmid, kind)}/snapshot`, {
			snapname: assertSnapshotName(snapname),
			...params,
		});
	}

	async rollbackSnapshot(
		node: string,
		vmid: number | string,
		snapname: string,
		options: { start?: boolean; kind?: GuestKind } = {},
	): Promise<string> {
		const { kind, ...params } = options;
		return await this.post(
			`${this.vmPath(node, vmid, kind)}/snapshot/${seg(assertSnapshotName(snapname))}/rollback`,
			params,
		);
	}

	async deleteSnapshot(
		node: string,
		vmid: number | string,
		snapname: string,
		options: { force?: boolean; kind?: GuestKind } = {},
	): Promise<string> {
		const { kind, ...params } = options;
		return await this.delete(
			`${this.vmPath(node, vmid, kind)}/snapshot/${seg(assertSnapshotName(snapname))}`,
			params,
		);
	}
}
