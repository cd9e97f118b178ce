import { DownloadStationApis } from './download-station';
import { safeName } from './paths';
import type { Json, JsonObject, StorageInfo, Utilization } from './types';

// System, Hyper Backup and Snapshot Replication: APIs DSM 7's own Web UI calls, not in Synology's published
// guides. One family of SynologyClient (client.ts says why the families are stacked classes).

export class SystemApis extends DownloadStationApis {
	async systemInfo(): Promise<JsonObject> {
		return await this.call('SYNO.DSM.Info', 'getinfo', {}, { versions: [1, 2] });
	}

	async utilization(): Promise<Utilization> {
		return await this.call('SYNO.Core.System.Utilization', 'get', {}, { versions: [1, 1] });
	}

	async storage(): Promise<StorageInfo> {
		return await this.call('SYNO.Storage.CGI.Storage', 'load_info', {}, { versions: [1, 1] });
	}

	async packages(): Promise<{ packages: JsonObject[]; total?: number }> {
		return await this.call(
			'SYNO.Core.Package',
			'list',
			{ additional: ['description', 'status', 'startable'] },
			{ versions: [1, 2] },
		);
	}

	async backupTasks(): Promise<JsonObject[]> {
		const data = await this.call<{ task_list?: JsonObject[] }>(
			'SYNO.Backup.Task',
			'list',
			{},
			{ versions: [1, 1] },
		);
		return data.task_list ?? [];
	}

	async backupStatus(taskId: number | string): Promise<JsonObject> {
		return await this.call(
			'SYNO.Backup.Task',
			'status',
			{
				task_id: Number(taskId),
				additional: ['last_bkp_time', 'next_bkp_time', 'last_bkp_result', 'last_bkp_progress', 'is_modified'],
			},
			{ versions: [1, 1] },
		);
	}

	async startBackup(taskId: number | string): Promise<JsonObject> {
		return (
			(await this.call<JsonObject | null>(
				'SYNO.Backup.Task',
				'backup',
				{ task_id: Number(taskId) },
				{ versions: [1, 1] },
			)) ?? {}
		);
	}

	async listSnapshots(share: string): Promise<{ snapshots: JsonObject[]; total: number }> {
		return await this.call(
			'SYNO.Core.Share.Snapshot',
			'list',
			{ name: safeName(share, 'shared folder'), additional: ['desc', 'lock', 'schedule_snapshot'] },
			{ versions: [1, 2] },
		);
	}

	/** Returns the new snapshot's name (its GMT time stamp, e.g. "GMT+00-2026.11.22-12.00.00"). */
	async createSnapshot(
		share: string,
		options: { description?: string; lock?: boolean } = {},
	): Promise<string> {
		const data = await this.call<Json>(
			'SYNO.Core.Share.Snapshot',
			'create',
			{
				name: safeName(share, 'shared folder'),
				snapshot: { desc: options.description ?? '', lock: options.lock ?? false },
			},
			{ versions: [1, 2] },
		);
		return typeof data === 'string' ? data : JSON.stringify(data);
	}
}
