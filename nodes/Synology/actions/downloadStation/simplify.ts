import type { IDataObject } from 'n8n-workflow';

import type { DownloadTask } from '../../../../clients/synology';

/** A Download Station task with its progress worked out (Download Station guide, Task list "additional"). */
export function simplifyTask(task: DownloadTask): IDataObject {
	const additional = (task.additional ?? {}) as {
		detail?: { destination?: string; uri?: string; create_time?: number };
		transfer?: { size_downloaded?: number; speed_download?: number };
	};
	const downloaded = Number(additional.transfer?.size_downloaded ?? 0);
	const size = Number(task.size ?? 0);
	return {
		id: task.id,
		title: task.title,
		type: task.type,
		status: task.status,
		size,
		downloaded,
		progress: size > 0 ? Math.round((downloaded / size) * 1000) / 10 : task.status === 'finished' ? 100 : 0,
		speedDownload: Number(additional.transfer?.speed_download ?? 0),
		destination: additional.detail?.destination ?? null,
		uri: additional.detail?.uri ?? null,
		createdAt: additional.detail?.create_time
			? new Date(additional.detail.create_time * 1000).toISOString()
			: null,
		username: task.username,
		...(task.status_extra ? { statusExtra: task.status_extra } : {}),
	};
}
