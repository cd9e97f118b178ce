import { SynologyApiError, SynologyInputError } from './errors';
import { FileStationApis } from './file-station';
import { safeDestination } from './paths';
import type {
	DownloadTask,
	DownloadTaskActionResult,
	DownloadTaskAdditional,
	DownloadTaskSummary,
	Params,
} from './types';

// Download Station (Synology Download Station Official API, SYNO.DownloadStation.Task; .torrent uploads on
// DSM 6.2.4+/7 through SYNO.DownloadStation2.Task): one family of SynologyClient (client.ts says why the
// families are stacked classes).

export class DownloadStationApis extends FileStationApis {
	async listDownloads(
		options: { offset?: number; limit?: number; additional?: string[] } = {},
	): Promise<{ total: number; offset: number; tasks: DownloadTask[] }> {
		return await this.call(
			'SYNO.DownloadStation.Task',
			'list',
			{
				offset: options.offset ?? 0,
				limit: options.limit ?? -1,
				additional: (options.additional ?? ['detail', 'transfer']).join(','),
			},
			{ versions: [1, 3] },
		);
	}

	async getDownloads(ids: string[], additional = ['detail', 'transfer', 'file']): Promise<DownloadTask[]> {
		const data = await this.call<{ tasks: DownloadTask[] }>(
			'SYNO.DownloadStation.Task',
			'getinfo',
			{ id: ids.join(','), additional: additional.join(',') },
			{ versions: [1, 3] },
		);
		return data.tasks;
	}

	/**
	 * `create` answers no task id (guide: "No specific response"), so the new tasks are found by listing before
	 * and after. `uri` is an http(s)/ftp/magnet link; `torrent` a .torrent file sent as multipart.
	 */
	async createDownload(source: {
		uri?: string;
		torrent?: { name: string; data: Buffer };
		destination?: string;
	}): Promise<DownloadTask[]> {
		const destination = source.destination ? safeDestination(source.destination) : undefined;
		if (!source.uri && !source.torrent)
			throw new SynologyInputError('give a URL/magnet link or a .torrent file');
		if (source.uri && !/^(https?|ftps?|magnet|thunder|flashget|qqdl|ed2k):/i.test(source.uri.trim())) {
			throw new SynologyInputError(`"${source.uri}" is not an http(s), ftp or magnet link`);
		}
		const before = new Set((await this.listDownloads({ additional: [] })).tasks.map((task) => task.id));
		if (source.torrent) {
			await this.uploadTorrent(source.torrent, destination);
		} else {
			await this.call(
				'SYNO.DownloadStation.Task',
				'create',
				{ uri: source.uri?.trim(), destination },
				{ versions: [1, 3] },
			);
		}
		const after = await this.listDownloads();
		return after.tasks.filter((task) => !before.has(task.id));
	}

	/**
	 * A .torrent upload. Download Station 3.8.16 (DSM 6.2.4) and DSM 7 answer 101 to uploads sent to
	 * SYNO.DownloadStation.Task and take them at SYNO.DownloadStation2.Task `create` version 2 instead, a form the
	 * published guide does not cover: JSON-encoded `type` ("file"), `file` (the multipart fields holding the
	 * files), `create_list` and `destination` ("" = the default folder), as the maintained clients send it
	 * (nas-download-manager, Sonarr's DownloadStationTaskProxyV2). Which one to use is what SYNO.API.Info
	 * announces: older DSM, without DownloadStation2, keep the original multipart upload.
	 */
	private async uploadTorrent(torrent: { name: string; data: Buffer }, destination?: string): Promise<void> {
		const file = {
			field: 'torrent',
			name: torrent.name,
			data: torrent.data,
			contentType: 'application/x-bittorrent',
		};
		if ((await this.apiInfo())['SYNO.DownloadStation2.Task']) {
			await this.call(
				'SYNO.DownloadStation2.Task',
				'create',
				{
					type: JSON.stringify('file'),
					file: [file.field],
					create_list: false,
					destination: JSON.stringify(destination ?? ''),
				},
				{ versions: [2, 2], file },
			);
			return;
		}
		await this.call(
			'SYNO.DownloadStation.Task',
			'create',
			{ destination },
			{ versions: [1, 3], file: { ...file, field: 'file' } },
		);
	}

	/** pause, resume and delete answer per id; a failed id carries its error in words instead of failing all. */
	private async taskAction(
		method: 'pause' | 'resume' | 'delete',
		ids: string[],
		extra: Params = {},
	): Promise<DownloadTaskActionResult[]> {
		const results = await this.call<Array<{ id: string; error: number }>>(
			'SYNO.DownloadStation.Task',
			method,
			{ id: ids.join(','), ...extra },
			{ versions: [1, 3] },
		);
		return results.map((result) => ({
			id: result.id,
			ok: result.error === 0,
			...(result.error === 0
				? {}
				: { error: new SynologyApiError('SYNO.DownloadStation.Task', method, result.error).message }),
		}));
	}

	async pauseDownloads(ids: string[]): Promise<DownloadTaskActionResult[]> {
		return await this.taskAction('pause', ids);
	}

	async resumeDownloads(ids: string[]): Promise<DownloadTaskActionResult[]> {
		return await this.taskAction('resume', ids);
	}

	async deleteDownloads(ids: string[], forceComplete = false): Promise<DownloadTaskActionResult[]> {
		return await this.taskAction('delete', ids, { force_complete: forceComplete });
	}
}

/** A Download Station task with its progress worked out (Download Station guide, Task list "additional"). */
export function summarizeDownloadTask(task: DownloadTask): DownloadTaskSummary {
	const additional = (task.additional ?? {}) as DownloadTaskAdditional;
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
