import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SynologyClient } from '../../../../clients/synology';

export const description: INodeProperties[] = [];

/** SYNO.Storage.CGI.Storage load_info: volumes with usage and disks with their health (SMART status). */
export async function execute(
	this: IExecuteFunctions,
	_itemIndex: number,
	dsm: SynologyClient,
): Promise<IDataObject> {
	const storage = await dsm.storage();
	const volumes = (storage.volumes ?? []).map((volume) => {
		const total = Number(volume.size?.total ?? 0);
		const used = Number(volume.size?.used ?? 0);
		return {
			id: volume.id,
			path: volume.vol_path ?? null,
			status: volume.status ?? null,
			fileSystem: volume.fs_type ?? null,
			totalBytes: total,
			usedBytes: used,
			usedPercent: total > 0 ? Math.round((used / total) * 1000) / 10 : null,
			healthy: volume.status === 'normal',
		};
	});
	const disks = (storage.disks ?? []).map((disk) => {
		const problems: string[] = [];
		if (disk.status && disk.status !== 'normal') problems.push(`status ${disk.status}`);
		if (disk.smart_status && disk.smart_status !== 'normal') problems.push(`SMART ${disk.smart_status}`);
		if (disk.exceed_bad_sector_thr) problems.push('bad sectors above the threshold');
		if (disk.below_remain_life_thr) problems.push('remaining life below the threshold');
		return {
			id: disk.id,
			name: disk.name ?? disk.id,
			model: disk.model ?? null,
			serial: disk.serial ?? null,
			status: disk.status ?? null,
			smartStatus: disk.smart_status ?? null,
			temperatureC: disk.temp ?? null,
			sizeBytes: Number(disk.size_total ?? 0),
			healthy: problems.length === 0,
			problems,
		};
	});
	return {
		healthy: volumes.every((volume) => volume.healthy) && disks.every((disk) => disk.healthy),
		volumes,
		disks,
	};
}
