// Backups: vzdump, and the archive check both restores (VM and container) share. One family of ProxmoxClient
// (client.ts says why the families are stacked classes).

import { ProxmoxInputError } from './errors';
import { seg } from './session';
import { TaskApis } from './tasks';
import type { GuestKind, Params, VzdumpOptions } from './types';
import { assertNodeName, assertVmid, backupGuestKind } from './validation';

/** The archive volid of a restore, refused early when its name says it holds the other guest type. */
export function checkArchive(raw: string, kind: GuestKind): string {
	const archive = (raw ?? '').trim();
	if (!archive) {
		throw new ProxmoxInputError(
			'archive is empty: pass the volid of a backup',
			'archive',
			'e.g. local:backup/vzdump-qemu-100-2025_01_31-02_00_00.vma.zst (Backup → List)',
		);
	}
	const holds = backupGuestKind(archive);
	if (holds && holds !== kind) {
		throw new ProxmoxInputError(
			`${archive} is a ${holds === 'qemu' ? 'VM' : 'container'} backup; it cannot be restored as a ${kind === 'qemu' ? 'VM' : 'container'}`,
			'archive',
			`Restore it as a ${holds === 'qemu' ? 'VM' : 'container'} (Guest Type), or pick a ${kind === 'qemu' ? 'vzdump-qemu' : 'vzdump-lxc'} archive`,
		);
	}
	return archive;
}

export class BackupApis extends TaskApis {
	/** POST /nodes/{node}/vzdump → UPID. */
	async vzdump(node: string, options: VzdumpOptions): Promise<string> {
		if (options.all) {
			return await this.post(`/nodes/${seg(assertNodeName(node))}/vzdump`, {
				...options,
				vmid: undefined,
				all: true,
			} as Params);
		}
		const ids = String(options.vmid ?? '')
			.split(/[\s,;]+/)
			.filter(Boolean)
			.map((id) => assertVmid(id));
		if (ids.length === 0) throw new ProxmoxInputError('No VM ID given to back up', 'vmid');
		return await this.post(`/nodes/${seg(assertNodeName(node))}/vzdump`, {
			...options,
			vmid: ids.join(','),
		} as Params);
	}
}
