// vzdump archives as the API shows them. GET /nodes/{node}/vzdump/extractconfig (pve-manager PVE::API2::VZDump
// "extractconfig" -> PVE::Storage::extract_vzdump_config) answers the guest configuration stored inside the
// archive as one string: for a VM the qemu-server.conf from the VMA header, followed by the "#qmdump#map:" line
// vzdump writes for each disk it saved; for a container the pct.conf from ./etc/vzdump/pct.conf in the tar.
// Reading it decompresses the archive's start, so a damaged archive fails here (HTTP 500) and in a restore.
import type { SimBackup } from './server';

const DISK_KEY = /^(?:scsi|sata|ide|virtio|efidisk|tpmstate)\d+$/;

/** qemu-server's is_valid_drivename: options naming a disk, which a restore refuses to override. */
export const isDriveKey = (key: string) => DISK_KEY.test(key) || key === 'rootfs' || /^mp\d+$/.test(key);

/** The configuration text extractconfig answers for an intact archive. */
export function archiveConfigText(backup: SimBackup): string {
	const lines: string[] = [];
	const { description, ...rest } = backup.config;
	// the config file keeps the description as "#" comment lines before the options
	if (description !== undefined)
		for (const line of String(description).split('\n')) lines.push(`#${encodeURIComponent(line)}`);
	for (const key of Object.keys(rest).sort()) lines.push(`${key}: ${String(rest[key])}`);
	if (backup.kind === 'qemu')
		for (const key of Object.keys(rest)
			.filter((name) => DISK_KEY.test(name))
			.sort()) {
			const value = String(rest[key]);
			if (value.includes('media=cdrom')) continue;
			const storage = value.split(':')[0];
			lines.push(`#qmdump#map:${key}:drive-${key}:${storage}:raw:`);
		}
	return `${lines.join('\n')}\n`;
}

/** What PVE::Storage says when the archive cannot be read (its decompressor's complaint), by archive format. */
export function unreadableArchive(backup: SimBackup): string {
	const file = `/var/lib/vz/dump/${backup.volid.split('/').pop()}`;
	if (backup.kind === 'lxc')
		return `unable to extract configuration for this backup: tar: ${file}: Unexpected EOF`;
	if (backup.format === 'vma') return `command 'vma config ${file}' failed: exit code 255`;
	return `Failed to extract config from VMA archive: zstd: ${file}: unexpected end of file`;
}
