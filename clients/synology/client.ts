import { sleep } from '../../shared/timing';
import { SynologyApiError, SynologyInputError, SynologyTransportError } from './errors';
import { safeDestination, safeName, safePath } from './paths';
import { totp } from './totp';
import { multipartBody, nodeTransport, type SynologyTransport, type TransportResponse } from './transport';

// A typed client for the DSM Web API, free of n8n types so the backend can reuse it.
// - Paths and versions come from SYNO.API.Info (DSM Login Web API Guide, "API Workflow" step 1), never
//   hard-coded: each call states the version range this client speaks and the highest one DSM offers is used.
// - Login is SYNO.API.Auth `login` with `format=sid`, `enable_device_token=yes` and a `device_name`; DSM then
//   returns a device id (`did`) that, presented as `device_id` on later logins, skips 2-step verification.
//   The id goes to a DeviceIdStore the caller provides (n8n: see nodes/Synology/transport).
// - A call that fails because the session ended (106 timeout, 107 duplicate login, 119 SID not found) logs in
//   again once and repeats the call.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface ApiInfoEntry {
	path: string;
	minVersion: number;
	maxVersion: number;
	requestFormat?: string;
}

/** Where device ids live between logins; keyed by DSM URL and account. */
export interface DeviceIdStore {
	get(key: string): string | undefined | Promise<string | undefined>;
	set(key: string, deviceId: string): void | Promise<void>;
}

export interface SynologyClientOptions {
	/** DSM address, e.g. https://nas.lab:5001 */
	url: string;
	account: string;
	password: string;
	/** A current 6-digit code from the authenticator (works once, ~30 s). */
	otpCode?: string;
	/** The base32 2FA secret: codes are generated when DSM asks for one. */
	otpSecret?: string;
	/** A device id obtained earlier (skips 2FA); the store is asked when absent. */
	deviceId?: string;
	deviceStore?: DeviceIdStore;
	/** Shown in DSM → Personal → Security → Trusted devices. */
	deviceName?: string;
	/** SYNO.API.Auth `session` name. */
	session?: string;
	transport?: SynologyTransport;
	allowSelfSigned?: boolean;
	timeoutMs?: number;
	signal?: AbortSignal;
	/** Pause between polls of a background task (ms). */
	pollIntervalMs?: number;
}

export interface CallOptions {
	/** Version range this client speaks for the API. */
	versions?: [number, number];
	/** Send as multipart with this file as the last part. */
	file?: { field: string; name: string; data: Buffer; contentType?: string };
	/** Return the raw response (downloads) instead of the envelope's data. */
	raw?: boolean;
	/** HTTP method; POST keeps secrets and long parameter lists out of URLs and logs. */
	httpMethod?: 'GET' | 'POST';
	/** Send even when the caller's signal has fired: clean-up calls (stop a task, log out) after a cancel. */
	cleanup?: boolean;
}

export interface TaskProgress {
	api: string;
	taskId: string;
	progress?: number;
	finished: boolean;
	data: JsonObject;
}

export type ProgressListener = (progress: TaskProgress) => void;

export type ParamValue = string | number | boolean | string[] | JsonObject | undefined;
export type Params = Record<string, ParamValue>;

const SESSION_ERRORS = new Set([106, 107, 119]);

function encodeParam(value: Exclude<ParamValue, undefined>): string {
	if (Array.isArray(value) || (typeof value === 'object' && value !== null)) return JSON.stringify(value);
	return String(value);
}

export class SynologyClient {
	readonly baseUrl: string;
	private readonly transport: SynologyTransport;
	private apis?: Record<string, ApiInfoEntry>;
	private sid?: string;
	private loginPromise?: Promise<string>;
	/** Device id DSM returned at the last login that asked for one (also written to the store). */
	deviceId?: string;
	/** How many times this client logged in (tests and diagnostics). */
	logins = 0;

	constructor(private readonly options: SynologyClientOptions) {
		const url = URL.canParse(options.url.trim()) ? new URL(options.url.trim()) : undefined;
		if (!url) {
			throw new SynologyInputError(`"${options.url}" is not a valid URL: use e.g. https://nas.lab:5001`);
		}
		if (url.protocol !== 'http:' && url.protocol !== 'https:') {
			throw new SynologyInputError(`"${options.url}" must start with http:// or https://`);
		}
		this.baseUrl = url.origin + url.pathname.replace(/\/+$/, '').replace(/\/webapi$/, '');
		this.transport =
			options.transport ??
			nodeTransport({ allowSelfSigned: options.allowSelfSigned, timeoutMs: options.timeoutMs });
		this.deviceId = options.deviceId;
	}

	get deviceKey(): string {
		return `${this.baseUrl}|${this.options.account}`;
	}

	get loggedIn(): boolean {
		return this.sid !== undefined;
	}

	// --- plumbing -------------------------------------------------------------------------------------------

	private async send(
		path: string,
		params: Record<string, string>,
		options: {
			file?: CallOptions['file'];
			httpMethod?: 'GET' | 'POST';
			query?: Record<string, string>;
			cleanup?: boolean;
		},
	): Promise<TransportResponse> {
		const url = new URL(`${this.baseUrl}/webapi/${path}`);
		for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
		let response: TransportResponse;
		const signal = options.cleanup ? undefined : this.options.signal;
		if (options.file) {
			const { body, contentType } = multipartBody(params, options.file);
			response = await this.transport({
				method: 'POST',
				url: url.href,
				headers: { 'content-type': contentType },
				body,
				signal,
			});
		} else if ((options.httpMethod ?? 'POST') === 'POST') {
			response = await this.transport({
				method: 'POST',
				url: url.href,
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: Buffer.from(new URLSearchParams(params).toString()),
				signal,
			});
		} else {
			for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
			response = await this.transport({ method: 'GET', url: url.href, signal });
		}
		if (response.status >= 400) {
			throw new SynologyTransportError(
				`DSM answered HTTP ${response.status} for ${path} (is ${this.baseUrl} the DSM address and port?)`,
				response.status,
			);
		}
		return response;
	}

	private static envelope(api: string, method: string, response: TransportResponse): Json {
		let parsed: { success?: boolean; data?: Json; error?: { code?: number; errors?: unknown } };
		try {
			parsed = JSON.parse(response.body.toString('utf8')) as typeof parsed;
		} catch {
			parsed = {};
		}
		if (typeof parsed.success !== 'boolean') {
			throw new SynologyTransportError(
				`${api} ${method}: the answer is not DSM's JSON envelope (is this the DSM address?)`,
				response.status,
			);
		}
		if (!parsed.success)
			throw new SynologyApiError(api, method, parsed.error?.code ?? 100, parsed.error?.errors);
		return parsed.data ?? null;
	}

	private static isErrorEnvelope(response: TransportResponse): boolean {
		if (!(response.headers['content-type'] ?? '').includes('json') || response.body.length > 65536)
			return false;
		try {
			return (JSON.parse(response.body.toString('utf8')) as { success?: unknown }).success === false;
		} catch {
			return false;
		}
	}

	/** SYNO.API.Info `query` (DSM Login Web API Guide, "API Info"): every API's path and version range. */
	async apiInfo(): Promise<Record<string, ApiInfoEntry>> {
		if (this.apis) return this.apis;
		const response = await this.send(
			'query.cgi',
			{ api: 'SYNO.API.Info', version: '1', method: 'query', query: 'all' },
			{ httpMethod: 'GET' },
		);
		this.apis = SynologyClient.envelope('SYNO.API.Info', 'query', response) as unknown as Record<
			string,
			ApiInfoEntry
		>;
		return this.apis;
	}

	/** The path and the highest version both DSM and this client support, or a clear error. */
	async resolve(
		api: string,
		versions: [number, number] = [1, 1],
	): Promise<{ path: string; version: number }> {
		const info = (await this.apiInfo())[api];
		if (!info) {
			throw new SynologyApiError(api, 'resolve', 102);
		}
		const version = Math.min(info.maxVersion, versions[1]);
		if (version < Math.max(info.minVersion, versions[0])) {
			throw new SynologyTransportError(
				`${api}: DSM offers versions ${info.minVersion}-${info.maxVersion}, this client speaks ${versions[0]}-${versions[1]}`,
			);
		}
		return { path: info.path, version };
	}

	private async encode(params: Params): Promise<Record<string, string>> {
		const out: Record<string, string> = {};
		for (const [key, value] of Object.entries(params)) if (value !== undefined) out[key] = encodeParam(value);
		return out;
	}

	/** One authenticated call; logs in first if needed and once more if the session ended meanwhile. */
	async call<T = JsonObject>(
		api: string,
		method: string,
		params: Params = {},
		options: CallOptions = {},
	): Promise<T> {
		const { path, version } = await this.resolve(api, options.versions);
		const base = { api, version: String(version), method, ...(await this.encode(params)) };
		for (let attempt = 0; ; attempt++) {
			const sid = await this.ensureLogin();
			// The SID travels in the query string (`_sid`, Login guide "Authentication"), so multipart bodies and
			// form bodies carry only the call's own parameters.
			const response = await this.send(path, base, {
				file: options.file,
				httpMethod: options.httpMethod,
				query: { _sid: sid },
				cleanup: options.cleanup,
			});
			// A download is the file itself; only DSM's error envelope (JSON with success: false) is not.
			if (options.raw && !SynologyClient.isErrorEnvelope(response)) return response as unknown as T;
			try {
				return SynologyClient.envelope(api, method, response) as unknown as T;
			} catch (error) {
				const expired = error instanceof SynologyApiError && SESSION_ERRORS.has(error.code);
				if (!expired || attempt > 0) throw error as Error;
				this.sid = undefined;
			}
		}
	}

	private async ensureLogin(): Promise<string> {
		if (this.sid) return this.sid;
		this.loginPromise ??= this.login().finally(() => (this.loginPromise = undefined));
		return await this.loginPromise;
	}

	/**
	 * SYNO.API.Auth login (DSM Login Web API Guide, "Login"): tries the stored device id first; when DSM asks
	 * for a 2-step code (403) and none can be had, the error says how to provide one. Returns the SID.
	 */
	async login(): Promise<string> {
		const { path, version } = await this.resolve('SYNO.API.Auth', [3, 7]);
		const deviceId = this.deviceId ?? (await this.options.deviceStore?.get(this.deviceKey));
		const params: Record<string, string> = {
			api: 'SYNO.API.Auth',
			version: String(version),
			method: 'login',
			account: this.options.account,
			passwd: this.options.password,
			session: this.options.session ?? 'webui',
			format: 'sid',
			enable_device_token: 'yes',
			device_name: this.options.deviceName ?? 'n8n-nodes-homelab',
		};
		if (deviceId) params.device_id = deviceId;
		const otp = (): string | undefined =>
			this.options.otpSecret ? totp(this.options.otpSecret) : this.options.otpCode?.trim() || undefined;
		// Without a device id, a configured OTP goes along with the first attempt (a code is valid only once).
		if (!deviceId && otp()) params.otp_code = otp() as string;
		let data: JsonObject;
		try {
			data = SynologyClient.envelope(
				'SYNO.API.Auth',
				'login',
				await this.send(path, params, {}),
			) as JsonObject;
		} catch (error) {
			const needsOtp = error instanceof SynologyApiError && error.code === 403;
			const code = otp();
			if (!needsOtp || !code || params.otp_code) throw error as Error;
			// The device id was not accepted (revoked or lost): fall back to a fresh 2-step code.
			delete params.device_id;
			params.otp_code = code;
			data = SynologyClient.envelope(
				'SYNO.API.Auth',
				'login',
				await this.send(path, params, {}),
			) as JsonObject;
		}
		const sid = typeof data.sid === 'string' ? data.sid : undefined;
		if (!sid) throw new SynologyTransportError('SYNO.API.Auth login answered without a session id (sid)');
		const did =
			typeof data.did === 'string'
				? data.did
				: typeof data.device_id === 'string'
					? data.device_id
					: undefined;
		if (did && did !== deviceId) {
			this.deviceId = did;
			await this.options.deviceStore?.set(this.deviceKey, did);
		} else if (deviceId) {
			this.deviceId = deviceId;
		}
		this.sid = sid;
		this.logins++;
		return sid;
	}

	/** SYNO.API.Auth logout; a session that ended already counts as logged out. */
	async logout(): Promise<void> {
		const sid = this.sid;
		if (!sid) return;
		this.sid = undefined;
		const { path, version } = await this.resolve('SYNO.API.Auth', [3, 7]);
		const response = await this.send(
			path,
			{
				api: 'SYNO.API.Auth',
				version: String(version),
				method: 'logout',
				session: this.options.session ?? 'webui',
			},
			{ query: { _sid: sid }, cleanup: true },
		);
		try {
			SynologyClient.envelope('SYNO.API.Auth', 'logout', response);
		} catch (error) {
			if (!(error instanceof SynologyApiError && SESSION_ERRORS.has(error.code))) throw error as Error;
		}
	}

	/** Polls a background task's `status` until `finished`, reporting progress; stops the task when cancelled. */
	async waitForTask(
		api: string,
		taskId: string,
		options: { versions?: [number, number]; onProgress?: ProgressListener; statusMethod?: string } = {},
	): Promise<JsonObject> {
		const interval = this.options.pollIntervalMs ?? 500;
		const cancelled = async () => {
			await this.call(api, 'stop', { taskid: taskId }, { versions: options.versions, cleanup: true }).catch(
				() => undefined,
			);
			return new SynologyTransportError(
				`cancelled while waiting for ${api} task ${taskId}; the task was stopped`,
			);
		};
		for (;;) {
			if (this.options.signal?.aborted) throw await cancelled();
			let data: JsonObject;
			try {
				data = await this.call(
					api,
					options.statusMethod ?? 'status',
					{ taskid: taskId },
					{ versions: options.versions },
				);
			} catch (error) {
				// The cancel may land while a status request is in flight: DSM must still be told to stop.
				if (this.options.signal?.aborted) throw await cancelled();
				throw error as Error;
			}
			const finished = data.finished === true;
			const progress = typeof data.progress === 'number' ? data.progress : undefined;
			options.onProgress?.({ api, taskId, progress, finished, data });
			if (finished) return data;
			await sleep(interval, this.options.signal).catch(() => undefined);
		}
	}

	// --- File Station (File Station Official API, chapter 3) -------------------------------------------------

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
		const interval = this.options.pollIntervalMs ?? 500;
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
				await sleep(interval, this.options.signal).catch(() => undefined);
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

	// --- Download Station (Download Station Official API, SYNO.DownloadStation.Task) ---------------------------

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
			await this.call(
				'SYNO.DownloadStation.Task',
				'create',
				{ destination },
				{
					versions: [1, 3],
					file: {
						field: 'file',
						name: source.torrent.name,
						data: source.torrent.data,
						contentType: 'application/x-bittorrent',
					},
				},
			);
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

	private async taskAction(method: 'pause' | 'resume' | 'delete', ids: string[], extra: Params = {}) {
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

	async pauseDownloads(ids: string[]) {
		return await this.taskAction('pause', ids);
	}

	async resumeDownloads(ids: string[]) {
		return await this.taskAction('resume', ids);
	}

	async deleteDownloads(ids: string[], forceComplete = false) {
		return await this.taskAction('delete', ids, { force_complete: forceComplete });
	}

	// --- System, Hyper Backup, Snapshot Replication (DSM 7 APIs the Web UI uses; not in the published guides) ---

	async systemInfo(): Promise<JsonObject> {
		return await this.call('SYNO.DSM.Info', 'getinfo', {}, { versions: [1, 2] });
	}

	async utilization(): Promise<JsonObject> {
		return await this.call('SYNO.Core.System.Utilization', 'get', {}, { versions: [1, 1] });
	}

	async storage(): Promise<JsonObject> {
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

export interface ListOptions {
	offset?: number;
	limit?: number;
	sortBy?: string;
	sortDirection?: 'asc' | 'desc';
	additional?: string[];
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

export interface FileEntry extends JsonObject {
	path: string;
	name: string;
	isdir: boolean;
}

export interface DownloadTask extends JsonObject {
	id: string;
	type: string;
	title: string;
	size: number;
	status: string;
	username: string;
}
