import { SynologyApiError, SynologyTransportError } from './errors';
import { safeName, safePath } from './paths';
import { SynologySession } from './session';
import type { TransportResponse } from './transport';
import type { FileEntry, JsonObject, ListOptions, Params, ProgressListener } from './types';

// File Station (Synology File Station Official API, chapter 3): one family of SynologyClient (client.ts says
// why the families are stacked classes).

export class FileStationApis extends SynologySession {
	/** SYNO.FileStation.List list_share (3.3). */
	async listShares(
		options: ListOptions = {},
	): Promise<{ total: number; offset: number; shares: FileEntry[] }> {
		return await this.call('SYNO.FileStation.List', 'list_share', listParams(options), { versions: [1, 2] });
	}

	/** SYNO.FileStation.List list (3.3). */
	async listFolder(
		folderPath: string,
		options: ListOptions & { pattern?: string; filetype?: 'file' | 'dir' | 'all' } = {},
	): Promise<{ total: number; offset: number; files: FileEntry[] }> {
		return await this.call(
			'SYNO.FileStation.List',
			'list',
			{
				folder_path: safePath(folderPath, 'folder path'),
				...listParams(options),
				pattern: options.pattern || undefined,
				filetype: options.filetype,
			},
			{ versions: [1, 2] },
		);
	}

	/** SYNO.FileStation.List getinfo (3.3). */
	async getInfo(paths: string[], additional?: string[]): Promise<{ files: FileEntry[] }> {
		const result = await this.call<{ files: FileEntry[] }>(
			'SYNO.FileStation.List',
			'getinfo',
			{
				path: paths.map((entry) => safePath(entry)),
				additional: additional?.length ? additional : undefined,
			},
			{ versions: [1, 2] },
		);
		// A path that does not exist comes back as an entry with its own error code instead of a failed call.
		const failed = result.files.find((file) => typeof file.code === 'number');
		if (failed)
			throw new SynologyApiError('SYNO.FileStation.List', 'getinfo', failed.code as number, [failed]);
		return result;
	}

	/** SYNO.FileStation.CreateFolder create (3.10). */
	async createFolder(parent: string, name: string, forceParent = true): Promise<{ folders: FileEntry[] }> {
		return await this.call(
			'SYNO.FileStation.CreateFolder',
			'create',
			{
				folder_path: [safePath(parent, 'parent folder')],
				name: [safeName(name, 'folder name')],
				force_parent: forceParent,
			},
			{ versions: [1, 2] },
		);
	}

	/** SYNO.FileStation.Rename rename (3.11). */
	async rename(path: string, name: string): Promise<{ files: FileEntry[] }> {
		return await this.call(
			'SYNO.FileStation.Rename',
			'rename',
			{ path: [safePath(path)], name: [safeName(name, 'new name')] },
			{ versions: [1, 2] },
		);
	}

	/** SYNO.FileStation.CopyMove start + status (3.12), awaited. */
	async copyMove(
		paths: string[],
		destination: string,
		options: { move?: boolean; overwrite?: boolean; onProgress?: ProgressListener } = {},
	): Promise<JsonObject> {
		const started = await this.call<{ taskid: string }>(
			'SYNO.FileStation.CopyMove',
			'start',
			{
				path: paths.map((entry) => safePath(entry)),
				dest_folder_path: safePath(destination, 'destination folder'),
				overwrite: options.overwrite,
				remove_src: options.move ?? false,
			},
			{ versions: [1, 3] },
		);
		return await this.waitForTask('SYNO.FileStation.CopyMove', started.taskid, {
			versions: [1, 3],
			onProgress: options.onProgress,
		});
	}

	/** SYNO.FileStation.Delete start + status (3.13), awaited. */
	async delete(
		paths: string[],
		options: { recursive?: boolean; onProgress?: ProgressListener } = {},
	): Promise<JsonObject> {
		const started = await this.call<{ taskid: string }>(
			'SYNO.FileStation.Delete',
			'start',
			{ path: paths.map((entry) => safePath(entry)), recursive: options.recursive ?? true },
			{ versions: [1, 2] },
		);
		return await this.waitForTask('SYNO.FileStation.Delete', started.taskid, {
			versions: [1, 2],
			onProgress: options.onProgress,
		});
	}

	/** SYNO.FileStation.Upload upload (3.15): multipart, the file as the last part. */
	async upload(
		folderPath: string,
		fileName: string,
		data: Buffer,
		options: { overwrite?: boolean; createParents?: boolean; contentType?: string } = {},
	): Promise<JsonObject> {
		const result = await this.call<JsonObject | null>(
			'SYNO.FileStation.Upload',
			'upload',
			{
				path: safePath(folderPath, 'upload folder'),
				create_parents: options.createParents ?? true,
				overwrite: options.overwrite ?? false,
			},
			{
				versions: [1, 2],
				file: {
					field: 'file',
					name: safeName(fileName, 'file name'),
					data,
					contentType: options.contentType,
				},
			},
		);
		return result ?? {};
	}

	/** SYNO.FileStation.Download download (3.16): the file's bytes. */
	async download(path: string): Promise<{ data: Buffer; contentType?: string; fileName: string }> {
		const file = safePath(path);
		const response = await this.call<TransportResponse>(
			'SYNO.FileStation.Download',
			'download',
			{ path: file, mode: 'download' },
			{ versions: [1, 2], raw: true, httpMethod: 'GET' },
		);
		return {
			data: response.body,
			contentType: response.headers['content-type'],
			fileName: file.split('/').pop() ?? 'download',
		};
	}

	/** SYNO.FileStation.Search start + list (3.5), awaited until `finished`, then cleaned. */
	async search(
		folderPath: string,
		criteria: {
			pattern?: string;
			extension?: string;
			recursive?: boolean;
			filetype?: 'file' | 'dir' | 'all';
		},
		options: { limit?: number; onProgress?: ProgressListener } = {},
	): Promise<{ total: number; files: FileEntry[] }> {
		const started = await this.call<{ taskid: string }>(
			'SYNO.FileStation.Search',
			'start',
			{
				folder_path: [safePath(folderPath, 'search folder')],
				recursive: criteria.recursive ?? true,
				pattern: criteria.pattern || undefined,
				extension: criteria.extension || undefined,
				filetype: criteria.filetype ?? 'all',
			},
			{ versions: [1, 2] },
		);
		try {
			for (;;) {
				const stopped = () => new SynologyTransportError('cancelled while searching; the search was stopped');
				if (this.options.signal?.aborted) throw stopped();
				let listed: { total: number; finished: boolean; files: FileEntry[] };
				try {
					listed = await this.call(
						'SYNO.FileStation.Search',
						'list',
						{ taskid: started.taskid, offset: 0, limit: options.limit ?? 0, additional: ['size', 'time'] },
						{ versions: [1, 2] },
					);
				} catch (error) {
					if (this.options.signal?.aborted) throw stopped();
					throw error as Error;
				}
				options.onProgress?.({
					api: 'SYNO.FileStation.Search',
					taskId: started.taskid,
					finished: listed.finished,
					data: { total: listed.total },
				});
				if (listed.finished) return { total: listed.total, files: listed.files };
				await this.pauseBetweenPolls();
			}
		} finally {
			await this.call(
				'SYNO.FileStation.Search',
				'stop',
				{ taskid: started.taskid },
				{ versions: [1, 2], cleanup: true },
			).catch(() => undefined);
			await this.call(
				'SYNO.FileStation.Search',
				'clean',
				{ taskid: started.taskid },
				{ versions: [1, 2], cleanup: true },
			).catch(() => undefined);
		}
	}

	/** SYNO.FileStation.Sharing create (3.8). */
	async createShareLink(
		path: string,
		options: { password?: string; expires?: string; available?: string } = {},
	): Promise<{ links: JsonObject[] }> {
		return await this.call(
			'SYNO.FileStation.Sharing',
			'create',
			{
				path: [safePath(path)],
				password: options.password || undefined,
				date_expired: options.expires || undefined,
				date_available: options.available || undefined,
			},
			{ versions: [1, 3] },
		);
	}
}

function listParams(options: ListOptions): Params {
	return {
		offset: options.offset ?? 0,
		limit: options.limit ?? 0,
		sort_by: options.sortBy,
		sort_direction: options.sortDirection,
		additional: options.additional?.length ? options.additional : undefined,
	};
}
