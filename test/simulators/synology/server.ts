// A DSM simulator on node:http, built from Synology's published Web API guides:
// - "DSM Login Web API Guide" (DSM 7): "API Workflow" (SYNO.API.Info query → SYNO.API.Auth login → calls with
//   _sid → logout), "Login" (account, passwd, session, format=sid, otp_code, enable_device_token, device_name,
//   device_id; answer { sid, did }), "Error Code" (common 100-150, auth 400-410).
// - "Synology File Station Official API" (DSM 6.x): 2.1 "API Request/Response" (`{success, data|error{code}}`),
//   2.3 error codes, chapter 3 per API: List (3.3: list_share, list, getinfo), Search (3.5: start, list, stop,
//   clean), Sharing (3.8: create), CreateFolder (3.10), Rename (3.11), CopyMove (3.12: start, status, stop),
//   Delete (3.13: start, status, stop), Upload (3.15: multipart POST, file last), Download (3.16).
// - "Synology Download Station Official API": SYNO.DownloadStation.Task at DownloadStation/task.cgi (list,
//   getinfo, create with uri or file, delete, pause, resume), task statuses and Task error codes 400-408.
// - SYNO.DownloadStation2.Task `create` (DSM 6.2.4+/DSM 7, unpublished): .torrent uploads moved there and the old
//   API answers 101 to them; sources at createFromFiles. `dsm6: true` gives the layout before that change.
// - System, Hyper Backup and Snapshot Replication are not in the published guides; their shapes follow what DSM
//   7's own Web UI calls (SYNO.DSM.Info getinfo, SYNO.Core.System.Utilization get, SYNO.Storage.CGI.Storage
//   load_info, SYNO.Core.Package list, SYNO.Backup.Task list/status/backup, SYNO.Core.Share.Snapshot list/create).
// It rejects what DSM rejects: missing api/method/version (101), unknown API (102) or method (103), versions
// outside the range SYNO.API.Info announces (104), calls without or with an unknown SID (119), expired
// sessions (106), and "." / ".." path segments (File Station 418, illegal name or path).
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { totp } from '../../../clients/synology/totp';
import { parseMultipart, type MultipartFile } from './multipart';

type Data = unknown;

class DsmError extends Error {
	constructor(
		readonly code: number,
		readonly errors?: unknown,
	) {
		super(`DSM error ${code}`);
	}
}

interface ApiDef {
	path: string;
	minVersion: number;
	maxVersion: number;
	methods: Record<string, (ctx: CallContext) => unknown>;
	/** Callable without a session (SYNO.API.Info, SYNO.API.Auth login). */
	open?: string[];
}

interface CallContext {
	params: Record<string, string>;
	files: MultipartFile[];
	version: number;
	session?: Session;
	sid?: string;
	res: ServerResponse;
}

interface Session {
	account: string;
	createdAt: number;
	lastUsed: number;
}

interface FileNode {
	kind: 'dir' | 'file';
	data?: Buffer;
	mtime: number;
	crtime: number;
}

interface BackgroundTask {
	api: string;
	polls: number;
	total: number;
	run: () => void;
	error?: number;
	done: boolean;
	data: Record<string, unknown>;
	results?: Array<{ path: string; name: string; isdir: boolean }>;
}

export interface DownloadTaskState {
	id: string;
	type: 'http' | 'bt' | 'ftp' | 'magnet';
	title: string;
	uri: string;
	destination: string;
	size: number;
	elapsedMs: number;
	resumedAt?: number;
	paused: boolean;
	finished: boolean;
	createdAt: number;
	content: Buffer;
}

type DownloadSource = Pick<DownloadTaskState, 'uri' | 'title' | 'type' | 'content'>;

export interface DsmSimulatorOptions {
	account?: string;
	password?: string;
	/** Enables 2-step verification for the account; codes are TOTP of this base32 secret. */
	otpSecret?: string;
	/** Idle time after which a session answers 106. */
	sessionTtlMs?: number;
	/** How many status polls a copy/move/delete/search task needs before it is finished. */
	taskPolls?: number;
	/** How long a Download Station task downloads before it is finished. */
	downloadMs?: number;
	shares?: string[];
	/**
	 * Answer like DSM 6 before 6.2.4 (Download Station up to 3.8.15): SYNO.API.Auth at auth.cgi up to version 6,
	 * File Station APIs up to version 2, no SYNO.DownloadStation2.Task, .torrent uploads to
	 * SYNO.DownloadStation.Task accepted. Without it the simulator is DSM 7.
	 */
	dsm6?: boolean;
}

export interface RecordedRequest {
	path: string;
	api?: string;
	method?: string;
	version?: string;
}

const NAME_RE = /[\\/:*?"<>|]/;

export class DsmSimulator {
	readonly account: string;
	readonly password: string;
	readonly dsm6: boolean;
	otpSecret?: string;
	sessionTtlMs: number;
	taskPolls: number;
	downloadMs: number;
	readonly files = new Map<string, FileNode>();
	readonly sessions = new Map<string, Session>();
	/** Device ids DSM handed out: did → account. */
	readonly devices = new Map<string, string>();
	readonly requests: RecordedRequest[] = [];
	readonly downloads = new Map<string, DownloadTaskState>();
	readonly snapshots = new Map<string, Array<{ time: string; desc: string; lock: boolean }>>();
	readonly backupTasks = [
		{
			task_id: 1,
			name: 'Nightly to USB',
			state: 'backupable',
			status: 'none',
			type: 'image:image_local',
			runs: 0,
		},
		{
			task_id: 2,
			name: 'Offsite to C2',
			state: 'backupable',
			status: 'none',
			type: 'cloud_image:image_synology_c2',
			runs: 0,
		},
	];
	logins = 0;
	otpLogins = 0;
	/** Answer every request this much later (a slow NAS; lets tests cancel while a request is in flight). */
	responseDelayMs = 0;
	private readonly tasks = new Map<string, BackgroundTask>();
	private taskCounter = 0;
	private downloadCounter = 0;
	private server?: http.Server;
	private readonly started = Date.now();
	url = '';
	private apis: Record<string, ApiDef> = {};

	constructor(options: DsmSimulatorOptions = {}) {
		this.account = options.account ?? 'n8n';
		this.password = options.password ?? 'Secret-Password-1';
		this.otpSecret = options.otpSecret;
		this.dsm6 = options.dsm6 ?? false;
		this.sessionTtlMs = options.sessionTtlMs ?? 15 * 60 * 1000;
		this.taskPolls = options.taskPolls ?? 2;
		this.downloadMs = options.downloadMs ?? 1500;
		for (const share of options.shares ?? ['docker', 'downloads', 'media', 'backups']) {
			this.mkdir(`/${share}`);
		}
		this.apis = this.buildApis();
		if (options.dsm6) {
			// DSM 6.x (DSM Login Web API Guide for DSM 6, "API Info" example): auth.cgi, SYNO.API.Auth 1-6.
			this.apis['SYNO.API.Auth'] = { ...this.apis['SYNO.API.Auth'], path: 'auth.cgi', maxVersion: 6 };
			this.apis['SYNO.FileStation.CopyMove'] = { ...this.apis['SYNO.FileStation.CopyMove'], maxVersion: 2 };
			this.apis['SYNO.DownloadStation.Task'] = { ...this.apis['SYNO.DownloadStation.Task'], maxVersion: 1 };
			delete this.apis['SYNO.DownloadStation2.Task'];
		}
	}

	// --- lifecycle and test controls ----------------------------------------------------------------------

	async start(): Promise<this> {
		this.server = http.createServer((req, res) => {
			void this.handle(req, res);
		});
		await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this;
	}

	async close(): Promise<void> {
		this.server?.closeAllConnections();
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
	}

	/** Ends every session as if they had timed out (the next call with their SID gets 106). */
	expireSessions(): void {
		for (const session of this.sessions.values()) session.lastUsed = 0;
	}

	/** Forgets every session (the next call with an old SID gets 119, like after a DSM restart). */
	dropSessions(): void {
		this.sessions.clear();
	}

	/** Revokes trusted devices (DSM → Personal → Security → "Trusted devices" → Revoke). */
	revokeDevices(): void {
		this.devices.clear();
	}

	finishDownload(id: string): void {
		const task = this.downloads.get(id);
		if (!task) throw new Error(`no download task ${id}`);
		task.elapsedMs = this.downloadMs;
		task.paused = false;
		task.resumedAt = Date.now();
		this.refresh(task);
	}

	writeFile(path: string, data: Buffer | string): void {
		const parent = path.slice(0, path.lastIndexOf('/')) || '/';
		if (parent !== '/') this.mkdir(parent);
		const now = Date.now();
		this.files.set(path, { kind: 'file', data: Buffer.from(data), mtime: now, crtime: now });
	}

	mkdir(path: string): void {
		const parts = path.split('/').filter(Boolean);
		for (let i = 1; i <= parts.length; i++) {
			const sub = `/${parts.slice(0, i).join('/')}`;
			if (!this.files.has(sub)) {
				const now = Date.now();
				this.files.set(sub, { kind: 'dir', mtime: now, crtime: now });
			}
		}
	}

	readFile(path: string): Buffer | undefined {
		return this.files.get(path)?.data;
	}

	/** Requests for an API (`SYNO.FileStation.Upload`) or all requests. */
	requestsFor(api?: string): RecordedRequest[] {
		return api ? this.requests.filter((request) => request.api === api) : this.requests;
	}

	// --- HTTP ---------------------------------------------------------------------------------------------

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://localhost');
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const body = Buffer.concat(chunks);
		const params: Record<string, string> = Object.fromEntries(url.searchParams);
		let files: MultipartFile[] = [];
		const type = req.headers['content-type'] ?? '';
		if (req.method === 'POST' && type.startsWith('multipart/form-data')) {
			const parsed = parseMultipart(body, type);
			Object.assign(params, parsed.fields);
			files = parsed.files;
		} else if (req.method === 'POST') {
			Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
		}
		const record: RecordedRequest = {
			path: url.pathname,
			api: params.api,
			method: params.method,
			version: params.version,
		};
		this.requests.push(record);
		if (this.responseDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.responseDelayMs));
		if (!url.pathname.startsWith('/webapi/')) {
			res.writeHead(404, { 'content-type': 'text/html' }).end('<html>Not Found</html>');
			return;
		}
		try {
			const data = await this.dispatch(url.pathname.slice('/webapi/'.length), params, files, req, res);
			if (res.headersSent) return;
			this.json(res, data === undefined ? { success: true } : { success: true, data });
		} catch (error) {
			if (res.headersSent) return;
			if (error instanceof DsmError) {
				this.json(res, {
					success: false,
					error: { code: error.code, ...(error.errors ? { errors: error.errors } : {}) },
				});
			} else {
				this.json(res, { success: false, error: { code: 100 } });
				console.error('DSM simulator bug:', error);
			}
		}
	}

	private json(res: ServerResponse, body: unknown): void {
		res.writeHead(200, { 'content-type': 'application/json; charset="UTF-8"' }).end(JSON.stringify(body));
	}

	private async dispatch(
		cgi: string,
		params: Record<string, string>,
		files: MultipartFile[],
		req: IncomingMessage,
		res: ServerResponse,
	): Promise<Data> {
		const { api, method, version } = params;
		if (!api || !method || !version) throw new DsmError(101);
		const def = this.apis[api];
		if (!def) throw new DsmError(102);
		if (def.path !== cgi) throw new DsmError(102);
		const handler = def.methods[method];
		if (!handler) throw new DsmError(103);
		const v = Number(version);
		if (!Number.isInteger(v) || v < def.minVersion || v > def.maxVersion) throw new DsmError(104);
		let session: Session | undefined;
		const sid = params._sid ?? /(?:^|;\s*)id=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
		if (!def.open?.includes(method)) {
			if (!sid) throw new DsmError(119);
			session = this.sessions.get(sid);
			if (!session) throw new DsmError(119);
			if (Date.now() - session.lastUsed > this.sessionTtlMs) {
				this.sessions.delete(sid);
				throw new DsmError(106);
			}
			session.lastUsed = Date.now();
		}
		return await handler({ params, files, version: v, session, sid, res });
	}

	// --- helpers ------------------------------------------------------------------------------------------

	/** Parses a File Station path parameter: a JSON array (v2) or comma-separated paths (v1). */
	private pathList(raw: string | undefined): string[] {
		if (raw === undefined || raw === '') throw new DsmError(400);
		let list: string[];
		if (raw.startsWith('[')) {
			try {
				list = JSON.parse(raw) as string[];
			} catch {
				throw new DsmError(400);
			}
		} else {
			list = raw.split(',');
		}
		return list.map((entry) => this.checkPath(entry));
	}

	private checkPath(raw: string): string {
		if (typeof raw !== 'string' || !raw.startsWith('/')) throw new DsmError(400);
		const segments = raw.split('/').filter(Boolean);
		if (segments.some((segment) => segment === '..' || segment === '.')) throw new DsmError(418);
		return `/${segments.join('/')}`;
	}

	private bool(value: string | undefined, fallback: boolean): boolean {
		if (value === undefined) return fallback;
		return value === 'true' || value === 'yes' || value === '1';
	}

	private additional(raw: string | undefined): string[] {
		if (!raw) return [];
		if (raw.startsWith('[')) return JSON.parse(raw) as string[];
		return raw.split(',');
	}

	private entry(path: string, additional: string[]): Record<string, unknown> {
		const node = this.files.get(path);
		if (!node) return { code: 408, path, name: path.split('/').pop() };
		const result: Record<string, unknown> = { path, name: path.split('/').pop(), isdir: node.kind === 'dir' };
		const extra: Record<string, unknown> = {};
		if (additional.includes('real_path')) extra.real_path = `/volume1${path}`;
		if (additional.includes('size')) extra.size = node.data?.length ?? 4096;
		if (additional.includes('owner'))
			extra.owner = { user: this.account, group: 'users', uid: 1026, gid: 100 };
		if (additional.includes('time')) {
			const s = (ms: number) => Math.floor(ms / 1000);
			extra.time = {
				atime: s(node.mtime),
				mtime: s(node.mtime),
				ctime: s(node.mtime),
				crtime: s(node.crtime),
			};
		}
		if (additional.includes('perm')) extra.perm = { posix: 777, is_acl_mode: true, acl_enable: true };
		if (additional.includes('type'))
			extra.type = node.kind === 'dir' ? '' : (path.split('.').pop() ?? '').toUpperCase();
		if (Object.keys(extra).length) result.additional = extra;
		return result;
	}

	private children(folder: string): string[] {
		const prefix = `${folder}/`;
		return [...this.files.keys()].filter(
			(key) => key.startsWith(prefix) && !key.slice(prefix.length).includes('/'),
		);
	}

	private descendants(folder: string): string[] {
		const prefix = `${folder}/`;
		return [...this.files.keys()].filter((key) => key.startsWith(prefix));
	}

	private sortAndPage(
		entries: string[],
		params: Record<string, string>,
	): { total: number; offset: number; page: string[] } {
		const by = params.sort_by ?? 'name';
		const direction = params.sort_direction === 'desc' ? -1 : 1;
		const key = (path: string): string | number => {
			const node = this.files.get(path);
			if (by === 'size') return node?.data?.length ?? 0;
			if (by === 'mtime' || by === 'crtime' || by === 'atime' || by === 'ctime') return node?.mtime ?? 0;
			if (by === 'type') return (path.split('.').pop() ?? '').toLowerCase();
			return (path.split('/').pop() ?? '').toLowerCase();
		};
		const sorted = [...entries].sort((a, b) => {
			const ka = key(a);
			const kb = key(b);
			return (ka < kb ? -1 : ka > kb ? 1 : 0) * direction;
		});
		const offset = Number(params.offset ?? 0);
		const limit = Number(params.limit ?? 0);
		const page = limit > 0 ? sorted.slice(offset, offset + limit) : sorted.slice(offset);
		return { total: sorted.length, offset, page };
	}

	private newTask(api: string, total: number, run: () => void, data: Record<string, unknown> = {}): string {
		const id = `FileStation_${(++this.taskCounter).toString(16).padStart(8, '0')}`;
		this.tasks.set(id, { api, polls: 0, total, run, done: false, data });
		return id;
	}

	private pollTask(api: string, taskid: string | undefined): BackgroundTask {
		const task = taskid ? this.tasks.get(taskid) : undefined;
		if (!task || task.api !== api) throw new DsmError(599);
		task.polls++;
		if (!task.done && task.polls >= this.taskPolls) {
			task.done = true;
			try {
				task.run();
			} catch (error) {
				task.error = error instanceof DsmError ? error.code : 401;
			}
		}
		return task;
	}

	private glob(pattern: string): RegExp {
		const parts = pattern
			.split(',')
			.map((p) => p.trim())
			.filter(Boolean);
		const toRe = (p: string) =>
			p.includes('*') || p.includes('?')
				? `^${p
						.replace(/[.+^${}()|[\]\\]/g, '\\$&')
						.replace(/\*/g, '.*')
						.replace(/\?/g, '.')}$`
				: p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		return new RegExp(parts.map(toRe).join('|') || '.*', 'i');
	}

	/** A Download Station destination: share-relative, default "downloads", must be an existing folder (403). */
	private downloadDestination(raw: string | undefined): string {
		const destination = (raw || 'downloads').replace(/^\/+/, '');
		if (destination.split('/').some((segment) => segment === '..' || segment === '.'))
			throw new DsmError(403);
		if (this.files.get(`/${destination}`)?.kind !== 'dir') throw new DsmError(403);
		return destination;
	}

	/** A BitTorrent task from an uploaded .torrent: its title is the torrent's `info.name`. */
	private torrentSource(torrent: MultipartFile): DownloadSource {
		if (!torrent.data.length) throw new DsmError(400);
		const name = /4:name(\d+):/.exec(torrent.data.toString('latin1'));
		const title = name
			? torrent.data.toString(
					'latin1',
					name.index + name[0].length,
					name.index + name[0].length + Number(name[1]),
				)
			: torrent.filename.replace(/\.torrent$/i, '');
		return { uri: torrent.filename, title, type: 'bt', content: Buffer.from(`content of ${title}\n`) };
	}

	private uriSource(uri: string): DownloadSource {
		const magnet = uri.startsWith('magnet:');
		const title = magnet
			? decodeURIComponent(/[?&]dn=([^&]+)/.exec(uri)?.[1] ?? 'magnet-download')
			: decodeURIComponent(new URL(uri).pathname.split('/').pop() || 'index.html');
		return {
			uri,
			title,
			type: magnet ? 'magnet' : uri.startsWith('ftp') ? 'ftp' : 'http',
			content: Buffer.from(`downloaded from ${uri}\n`),
		};
	}

	/** Starts one task per source; returns their ids. */
	private addDownloads(sources: DownloadSource[], destination: string): string[] {
		return sources.map((source) => {
			const id = `dbid_${++this.downloadCounter + 100}`;
			this.downloads.set(id, {
				id,
				...source,
				destination,
				size: source.content.length,
				elapsedMs: 0,
				resumedAt: Date.now(),
				paused: false,
				finished: false,
				createdAt: Date.now(),
			});
			return id;
		});
	}

	/**
	 * SYNO.DownloadStation2.Task `create` with `type="file"` (not in Synology's published guides; its form is what
	 * maintained clients send to DSM 7: seansfkelley/nas-download-manager src/common/apis/synology/
	 * DownloadStation2.ts and Sonarr's DownloadStationTaskProxyV2.AddTaskFromData). Values are JSON: `type` is
	 * `"file"`, `file` a JSON array naming the multipart fields that hold .torrent files, `create_list` a JSON
	 * boolean (both clients always send it), `destination` an optional JSON string ("" = the default folder).
	 * Answers `{ list_id, task_id }`.
	 */
	private createFromFiles(params: Record<string, string>, files: MultipartFile[]): Data {
		const json = (raw: string | undefined): unknown => {
			if (raw === undefined) throw new DsmError(101);
			try {
				return JSON.parse(raw) as unknown;
			} catch {
				throw new DsmError(101);
			}
		};
		// `url` and `local` tasks exist on DSM 7 too; this simulator implements the upload only.
		if (json(params.type) !== 'file') throw new DsmError(101);
		if (typeof json(params.create_list) !== 'boolean') throw new DsmError(101);
		const fields = json(params.file);
		if (!Array.isArray(fields) || fields.length === 0) throw new DsmError(101);
		const torrents = fields.map((field) => {
			const part = files.find((file) => file.field === field);
			if (!part) throw new DsmError(101);
			return part;
		});
		const destination = params.destination === undefined ? '' : json(params.destination);
		if (typeof destination !== 'string') throw new DsmError(101);
		const target = this.downloadDestination(destination);
		return {
			list_id: [],
			task_id: this.addDownloads(
				torrents.map((torrent) => this.torrentSource(torrent)),
				target,
			),
		};
	}

	private refresh(task: DownloadTaskState): void {
		if (!task.paused && task.resumedAt !== undefined) {
			const now = Date.now();
			task.elapsedMs += now - task.resumedAt;
			task.resumedAt = now;
		}
		if (!task.finished && task.elapsedMs >= this.downloadMs) {
			task.finished = true;
			task.elapsedMs = this.downloadMs;
			this.writeFile(`/${task.destination}/${task.title}`, task.content);
		}
	}

	private downloadJson(task: DownloadTaskState, additional: string[]): Record<string, unknown> {
		this.refresh(task);
		const fraction = task.finished ? 1 : Math.min(0.99, task.elapsedMs / this.downloadMs);
		const status = task.finished ? 'finished' : task.paused ? 'paused' : 'downloading';
		const result: Record<string, unknown> = {
			id: task.id,
			type: task.type === 'magnet' ? 'bt' : task.type,
			username: this.account,
			title: task.title,
			size: task.size,
			status,
		};
		const extra: Record<string, unknown> = {};
		if (additional.includes('detail')) {
			extra.detail = {
				destination: task.destination,
				uri: task.uri,
				create_time: Math.floor(task.createdAt / 1000),
				priority: 'auto',
				total_peers: 0,
				connected_seeders: 0,
				connected_leechers: 0,
			};
		}
		if (additional.includes('transfer')) {
			extra.transfer = {
				size_downloaded: Math.floor(task.size * fraction),
				size_uploaded: 0,
				speed_download: status === 'downloading' ? Math.floor(task.size / (this.downloadMs / 1000)) : 0,
				speed_upload: 0,
			};
		}
		if (additional.includes('file')) {
			extra.file = [
				{
					filename: task.title,
					size: task.size,
					size_downloaded: Math.floor(task.size * fraction),
					priority: 'normal',
				},
			];
		}
		if (Object.keys(extra).length) result.additional = extra;
		return result;
	}

	// --- the APIs -----------------------------------------------------------------------------------------

	private buildApis(): Record<string, ApiDef> {
		const fs = (methods: ApiDef['methods'], maxVersion = 2, minVersion = 1): ApiDef => ({
			path: 'entry.cgi',
			minVersion,
			maxVersion,
			methods,
		});
		const apis: Record<string, ApiDef> = {
			'SYNO.API.Info': {
				path: 'query.cgi',
				minVersion: 1,
				maxVersion: 1,
				open: ['query'],
				methods: {
					query: ({ params }) => {
						const wanted = params.query && params.query !== 'all' ? params.query.split(',') : undefined;
						const out: Record<string, unknown> = {};
						for (const [name, def] of Object.entries(this.apis)) {
							if (wanted && !wanted.includes(name)) continue;
							out[name] = {
								path: def.path,
								minVersion: def.minVersion,
								maxVersion: def.maxVersion,
								...(def.path === 'entry.cgi' ? { requestFormat: 'JSON' } : {}),
							};
						}
						return out;
					},
				},
			},
			'SYNO.API.Auth': {
				path: 'entry.cgi',
				minVersion: 1,
				maxVersion: 7,
				open: ['login'],
				methods: {
					login: ({ params }) => this.login(params),
					logout: ({ sid }) => {
						if (sid) this.sessions.delete(sid);
						return undefined;
					},
				},
			},
			'SYNO.FileStation.Info': fs({
				get: () => ({
					hostname: 'blackbox',
					is_manager: true,
					support_sharing: true,
					support_virtual_protocol: [],
				}),
			}),
			'SYNO.FileStation.List': fs({
				list_share: ({ params }) => {
					const shares = [...this.files.keys()].filter((key) => key.split('/').length === 2);
					const { total, offset, page } = this.sortAndPage(shares, params);
					const additional = this.additional(params.additional);
					return { total, offset, shares: page.map((path) => this.entry(path, additional)) };
				},
				list: ({ params }) => {
					const [folder] = this.pathList(params.folder_path);
					const node = this.files.get(folder);
					if (!node || node.kind !== 'dir') throw new DsmError(408);
					let entries = this.children(folder);
					if (params.filetype === 'file' || params.filetype === 'dir') {
						entries = entries.filter((path) => this.files.get(path)?.kind === params.filetype);
					}
					if (params.pattern) {
						const re = this.glob(params.pattern);
						entries = entries.filter((path) => re.test(path.split('/').pop() ?? ''));
					}
					const { total, offset, page } = this.sortAndPage(entries, params);
					const additional = this.additional(params.additional);
					return { total, offset, files: page.map((path) => this.entry(path, additional)) };
				},
				getinfo: ({ params }) => {
					const additional = this.additional(params.additional);
					return { files: this.pathList(params.path).map((path) => this.entry(path, additional)) };
				},
			}),
			'SYNO.FileStation.CreateFolder': fs({
				create: ({ params }) => {
					const parents = this.pathList(params.folder_path);
					const names = params.name?.startsWith('[')
						? (JSON.parse(params.name) as string[])
						: (params.name ?? '').split(',');
					const force = this.bool(params.force_parent, false);
					const folders = parents.map((parent, index) => {
						const name = names[index] ?? names[0];
						if (!name || name === '.' || name === '..' || NAME_RE.test(name))
							throw new DsmError(1100, [{ code: 419, path: `${parent}/${name}` }]);
						if (!this.files.has(parent)) {
							if (!force) throw new DsmError(1100, [{ code: 408, path: parent }]);
						}
						const path = `${parent}/${name}`;
						if (this.files.get(path)?.kind === 'file') throw new DsmError(1100, [{ code: 414, path }]);
						this.mkdir(path);
						return { path, name, isdir: true };
					});
					return { folders };
				},
			}),
			'SYNO.FileStation.Rename': fs({
				rename: ({ params }) => {
					const paths = this.pathList(params.path);
					const names = params.name?.startsWith('[')
						? (JSON.parse(params.name) as string[])
						: (params.name ?? '').split(',');
					const files = paths.map((path, index) => {
						const name = names[index] ?? '';
						if (!name || name === '.' || name === '..' || NAME_RE.test(name))
							throw new DsmError(1200, [{ code: 419, path }]);
						if (!this.files.has(path)) throw new DsmError(1200, [{ code: 408, path }]);
						const target = `${path.slice(0, path.lastIndexOf('/'))}/${name}`;
						if (this.files.has(target)) throw new DsmError(1200, [{ code: 414, path: target }]);
						this.moveTree(path, target);
						return { path: target, name, isdir: this.files.get(target)?.kind === 'dir' };
					});
					return { files };
				},
			}),
			'SYNO.FileStation.CopyMove': fs(
				{
					start: ({ params }) => {
						const paths = this.pathList(params.path);
						const [dest] = this.pathList(params.dest_folder_path);
						const move = this.bool(params.remove_src, false);
						const overwrite = params.overwrite === undefined ? undefined : this.bool(params.overwrite, false);
						const total = paths.reduce((sum, path) => sum + (this.files.get(path)?.data?.length ?? 0), 0);
						const taskid = this.newTask(
							'SYNO.FileStation.CopyMove',
							total,
							() => {
								if (this.files.get(dest)?.kind !== 'dir') throw new DsmError(1002);
								for (const path of paths) {
									if (!this.files.has(path)) throw new DsmError(408);
									const target = `${dest}/${path.split('/').pop()}`;
									if (this.files.has(target)) {
										if (overwrite === undefined) throw new DsmError(1003);
										if (!overwrite) continue;
									}
									if (move) this.moveTree(path, target);
									else this.copyTree(path, target);
								}
							},
							{ dest_folder_path: dest, path: paths[0] },
						);
						return { taskid };
					},
					status: ({ params }) => {
						const task = this.pollTask('SYNO.FileStation.CopyMove', params.taskid);
						if (task.error)
							throw new DsmError(task.error === 408 ? 1000 : task.error, [{ code: task.error }]);
						return {
							dest_folder_path: task.data.dest_folder_path,
							path: task.data.path,
							finished: task.done,
							progress: task.done ? 1 : Math.min(0.99, task.polls / this.taskPolls),
							processed_size: task.done ? task.total : Math.floor((task.total * task.polls) / this.taskPolls),
							total: task.total,
						};
					},
					stop: ({ params }) => {
						this.tasks.delete(params.taskid ?? '');
						return undefined;
					},
				},
				3,
			),
			'SYNO.FileStation.Delete': fs({
				start: ({ params }) => {
					const paths = this.pathList(params.path);
					const recursive = this.bool(params.recursive, true);
					const taskid = this.newTask(
						'SYNO.FileStation.Delete',
						paths.length,
						() => {
							for (const path of paths) {
								if (!this.files.has(path)) throw new DsmError(408);
								if (path.split('/').length === 2) throw new DsmError(407);
								const inner = this.descendants(path);
								if (inner.length && !recursive) throw new DsmError(900);
								for (const child of inner) this.files.delete(child);
								this.files.delete(path);
							}
						},
						{ path: paths[0] },
					);
					return { taskid };
				},
				status: ({ params }) => {
					const task = this.pollTask('SYNO.FileStation.Delete', params.taskid);
					if (task.error) throw new DsmError(900, [{ code: task.error, path: task.data.path }]);
					return {
						finished: task.done,
						progress: task.done ? 1 : Math.min(0.99, task.polls / this.taskPolls),
						processed_num: task.done ? task.total : 0,
						total: task.total,
						path: task.data.path,
						processing_path: task.data.path,
					};
				},
				stop: ({ params }) => {
					this.tasks.delete(params.taskid ?? '');
					return undefined;
				},
			}),
			'SYNO.FileStation.Upload': fs({
				upload: ({ params, files }) => {
					const file = files[files.length - 1];
					if (!file) throw new DsmError(1802);
					const [folder] = this.pathList(params.path);
					if (
						!file.filename ||
						file.filename === '.' ||
						file.filename === '..' ||
						/[\\/]/.test(file.filename)
					)
						throw new DsmError(419);
					const parent = this.files.get(folder);
					if (!parent) {
						if (!this.bool(params.create_parents, false)) throw new DsmError(408);
						if (!this.files.has(`/${folder.split('/')[1]}`)) throw new DsmError(408);
						this.mkdir(folder);
					} else if (parent.kind !== 'dir') throw new DsmError(408);
					const target = `${folder}/${file.filename}`;
					if (this.files.has(target)) {
						if (params.overwrite === undefined) throw new DsmError(1805);
						if (!this.bool(params.overwrite, false))
							return { blSkip: true, file: file.filename, pid: 1, progress: 1 };
					}
					this.writeFile(target, file.data);
					return { blSkip: false, file: file.filename, pid: 1, progress: 1 };
				},
			}),
			'SYNO.FileStation.Download': fs({
				download: ({ params, res }) => {
					const [path] = this.pathList(params.path);
					const node = this.files.get(path);
					if (!node || node.kind !== 'file' || !node.data) throw new DsmError(408);
					res.writeHead(200, {
						'content-type': params.mode === 'open' ? 'text/plain' : 'application/octet-stream',
						'content-disposition': `attachment; filename="${encodeURIComponent(path.split('/').pop() ?? 'file')}"`,
						'content-length': String(node.data.length),
					});
					res.end(node.data);
					return undefined;
				},
			}),
			'SYNO.FileStation.Search': fs({
				start: ({ params }) => {
					const folders = this.pathList(params.folder_path);
					const recursive = this.bool(params.recursive, true);
					const pattern = params.pattern ? this.glob(params.pattern) : undefined;
					const extensions = params.extension
						? params.extension.split(',').map((e) => e.trim().toLowerCase())
						: undefined;
					const task: BackgroundTask = {
						api: 'SYNO.FileStation.Search',
						polls: 0,
						total: 0,
						done: false,
						data: {},
						run: () => undefined,
					};
					task.run = () => {
						const found: string[] = [];
						for (const folder of folders) {
							if (this.files.get(folder)?.kind !== 'dir') throw new DsmError(408);
							for (const path of recursive ? this.descendants(folder) : this.children(folder)) {
								const name = path.split('/').pop() ?? '';
								const kind = this.files.get(path)?.kind;
								if (params.filetype === 'file' && kind !== 'file') continue;
								if (params.filetype === 'dir' && kind !== 'dir') continue;
								if (pattern && !pattern.test(name)) continue;
								if (extensions && !extensions.includes((name.split('.').pop() ?? '').toLowerCase())) continue;
								found.push(path);
							}
						}
						task.results = found.sort().map((path) => ({
							path,
							name: path.split('/').pop() ?? '',
							isdir: this.files.get(path)?.kind === 'dir',
						}));
					};
					const taskid = `FileStation_${(++this.taskCounter).toString(16).padStart(8, '0')}`;
					this.tasks.set(taskid, task);
					return { taskid };
				},
				list: ({ params }) => {
					const task = this.pollTask('SYNO.FileStation.Search', params.taskid);
					if (task.error) throw new DsmError(task.error);
					const additional = this.additional(params.additional);
					const all = task.done ? (task.results ?? []) : [];
					const offset = Number(params.offset ?? 0);
					const limit = Number(params.limit ?? -1);
					const page = limit > 0 ? all.slice(offset, offset + limit) : all.slice(offset);
					return {
						total: all.length,
						offset,
						finished: task.done,
						files: page.map((entry) => ({ ...this.entry(entry.path, additional) })),
					};
				},
				stop: () => undefined,
				clean: ({ params }) => {
					this.tasks.delete(params.taskid ?? '');
					return undefined;
				},
			}),
			'SYNO.FileStation.Sharing': fs(
				{
					create: ({ params }) => {
						const paths = this.pathList(params.path);
						return {
							links: paths.map((path) => {
								if (!this.files.has(path)) throw new DsmError(408);
								const id = randomBytes(6).toString('base64url');
								return {
									id,
									url: `${this.url}/sharing/${id}`,
									qrcode: '',
									path,
									name: path.split('/').pop(),
									isFolder: this.files.get(path)?.kind === 'dir',
									has_password: Boolean(params.password),
									date_expired: params.date_expired ?? '',
									date_available: params.date_available ?? '',
									status: 'valid',
									link_owner: this.account,
								};
							}),
						};
					},
				},
				3,
			),
			'SYNO.DownloadStation.Info': {
				path: 'DownloadStation/info.cgi',
				minVersion: 1,
				maxVersion: 2,
				methods: { getinfo: () => ({ is_manager: true, version: 3900, version_string: '3.9-3900' }) },
			},
			'SYNO.DownloadStation.Task': {
				path: 'DownloadStation/task.cgi',
				minVersion: 1,
				maxVersion: 3,
				methods: {
					list: ({ params }) => {
						const additional = this.additional(params.additional);
						const all = [...this.downloads.values()];
						const offset = Number(params.offset ?? 0);
						const limit = Number(params.limit ?? -1);
						const page = limit > 0 ? all.slice(offset, offset + limit) : all.slice(offset);
						return {
							total: all.length,
							offset,
							tasks: page.map((task) => this.downloadJson(task, additional)),
						};
					},
					getinfo: ({ params }) => {
						const ids = (params.id ?? '').split(',').filter(Boolean);
						if (!ids.length) throw new DsmError(101);
						const additional = this.additional(params.additional);
						const found = ids.map((id) => this.downloads.get(id)).filter((task) => task !== undefined);
						if (!found.length) throw new DsmError(404);
						return { tasks: found.map((task) => this.downloadJson(task, additional)) };
					},
					create: ({ params, files }) => {
						const destination = this.downloadDestination(params.destination);
						if (files.length) {
							// Download Station 3.8.16 (DSM 6.2.4) and DSM 7 refuse a .torrent sent to the old API with
							// 101 "invalid parameter" (SickChill/sickchill#7056, #7062 log `{"error":{"code":101}}`;
							// seansfkelley/nas-download-manager#177): uploads go to SYNO.DownloadStation2.Task.
							if (!this.dsm6) throw new DsmError(101);
							this.addDownloads([this.torrentSource(files[files.length - 1])], destination);
							return undefined;
						}
						const uris = (params.uri ?? '')
							.split(',')
							.map((u) => u.trim())
							.filter(Boolean);
						if (!uris.length) throw new DsmError(101);
						this.addDownloads(
							uris.map((uri) => this.uriSource(uri)),
							destination,
						);
						return undefined;
					},
					pause: ({ params }) =>
						(params.id ?? '').split(',').map((id) => {
							const task = this.downloads.get(id);
							if (!task) return { id, error: 404 };
							this.refresh(task);
							if (task.finished) return { id, error: 405 };
							task.paused = true;
							task.resumedAt = undefined;
							return { id, error: 0 };
						}),
					resume: ({ params }) =>
						(params.id ?? '').split(',').map((id) => {
							const task = this.downloads.get(id);
							if (!task) return { id, error: 404 };
							if (task.paused) {
								task.paused = false;
								task.resumedAt = Date.now();
							}
							return { id, error: 0 };
						}),
					delete: ({ params }) =>
						(params.id ?? '').split(',').map((id) => {
							if (!this.downloads.delete(id)) return { id, error: 404 };
							return { id, error: 0 };
						}),
				},
			},
			// DSM 7 announces SYNO.DownloadStation2.Task at entry.cgi, versions 1-2 (the create form above is v2).
			'SYNO.DownloadStation2.Task': fs(
				{ create: ({ params, files }) => this.createFromFiles(params, files) },
				2,
			),
			'SYNO.DSM.Info': fs({
				getinfo: () => ({
					model: 'DS920+',
					ram: 8192,
					serial: 'SIM20NAS0001',
					temperature: 41,
					temperature_warn: false,
					time: new Date().toUTCString(),
					uptime: Math.floor((Date.now() - this.started) / 1000) + 86400,
					version: '72806',
					version_string: 'DSM 7.2.2-72806 Update 3',
				}),
			}),
			'SYNO.Core.System.Utilization': fs(
				{
					get: () => ({
						cpu: {
							user_load: 7,
							system_load: 3,
							other_load: 1,
							'1min_load': 42,
							'5min_load': 38,
							'15min_load': 35,
							device: 'System',
						},
						memory: {
							memory_size: 8388608,
							total_real: 7949596,
							avail_real: 512000,
							cached: 5120000,
							buffer: 100000,
							real_usage: 28,
							total_swap: 4194300,
							avail_swap: 4194300,
							swap_usage: 0,
						},
						network: [
							{ device: 'total', rx: 125000, tx: 64000 },
							{ device: 'eth0', rx: 125000, tx: 64000 },
						],
						disk: {
							disk: [
								{
									device: 'sata1',
									display_name: 'Drive 1',
									read_access: 3,
									read_byte: 409600,
									write_access: 5,
									write_byte: 819200,
									utilization: 4,
									type: 'internal',
								},
								{
									device: 'sata2',
									display_name: 'Drive 2',
									read_access: 2,
									read_byte: 204800,
									write_access: 5,
									write_byte: 819200,
									utilization: 3,
									type: 'internal',
								},
							],
							total: {
								read_access: 5,
								read_byte: 614400,
								write_access: 10,
								write_byte: 1638400,
								utilization: 4,
							},
						},
						space: {
							volume: [
								{
									device: 'dm-1',
									display_name: 'volume1',
									read_byte: 614400,
									write_byte: 1638400,
									utilization: 4,
								},
							],
						},
						time: Math.floor(Date.now() / 1000),
					}),
				},
				1,
			),
			'SYNO.Storage.CGI.Storage': fs(
				{
					load_info: () => ({
						disks: [
							{
								id: 'sata1',
								name: 'Drive 1',
								device: '/dev/sata1',
								model: 'WD40EFRX',
								vendor: 'WDC',
								serial: 'WD-SIM1',
								diskType: 'SATA',
								firm: '82.00A82',
								status: 'normal',
								smart_status: 'normal',
								temp: 34,
								exceed_bad_sector_thr: false,
								below_remain_life_thr: false,
								size_total: '4000787030016',
							},
							{
								id: 'sata2',
								name: 'Drive 2',
								device: '/dev/sata2',
								model: 'WD40EFRX',
								vendor: 'WDC',
								serial: 'WD-SIM2',
								diskType: 'SATA',
								firm: '82.00A82',
								status: 'normal',
								smart_status: 'warning',
								temp: 37,
								exceed_bad_sector_thr: true,
								below_remain_life_thr: false,
								size_total: '4000787030016',
							},
						],
						storagePools: [
							{
								id: 'reuse_1',
								device_type: 'shr_with_1_disk_protect',
								disks: ['sata1', 'sata2'],
								status: 'normal',
								pool_child: [{ id: 'volume_1', size: { total: '3830000000000', used: '1200000000000' } }],
							},
						],
						volumes: [
							{
								id: 'volume_1',
								vol_path: '/volume1',
								device_type: 'shr_with_1_disk_protect',
								fs_type: 'btrfs',
								status: 'normal',
								size: {
									total: '3830000000000',
									used: '1200000000000',
									free_inode: '0',
									total_device: '3840000000000',
									total_inode: '0',
								},
							},
						],
						env: { bay_number: '4', status: { system_crashed: false, system_need_repair: false } },
					}),
				},
				1,
			),
			'SYNO.Core.Package': fs({
				list: () => ({
					packages: [
						{
							id: 'ContainerManager',
							name: 'Container Manager',
							version: '24.0.2-1535',
							additional: { status: 'running', startable: true, description: 'Docker containers' },
						},
						{
							id: 'DownloadStation',
							name: 'Download Station',
							version: '3.9.6-4320',
							additional: { status: 'running', startable: true, description: 'Downloads' },
						},
						{
							id: 'HyperBackup',
							name: 'Hyper Backup',
							version: '4.1.0-3718',
							additional: { status: 'running', startable: true, description: 'Backups' },
						},
						{
							id: 'SnapshotReplication',
							name: 'Snapshot Replication',
							version: '8.2.5-1214',
							additional: { status: 'stop', startable: true, description: 'Snapshots' },
						},
					],
					total: 4,
				}),
			}),
			'SYNO.Backup.Task': fs(
				{
					list: () => ({
						task_list: this.backupTasks.map((task) => ({
							task_id: task.task_id,
							name: task.name,
							state: task.state,
							status: task.status,
							type: task.type,
						})),
						total: this.backupTasks.length,
					}),
					status: ({ params }) => {
						const task = this.backupTasks.find((entry) => entry.task_id === Number(params.task_id));
						if (!task) throw new DsmError(4401);
						const running = task.status === 'backup';
						if (running) task.status = 'none';
						return {
							task_id: task.task_id,
							state: task.state,
							status: running ? 'backup' : 'none',
							last_bkp_result: task.runs > 0 && !running ? 'done' : task.runs > 0 ? 'backingup' : 'none',
							last_bkp_time: task.runs > 0 ? '2026/11/22 03:00' : '',
							last_bkp_end_time: task.runs > 0 && !running ? '2026/11/22 03:07' : '',
							next_bkp_time: '2026/11/23 03:00',
							...(running ? { progress: { progress: 40, step: 'backup' } } : {}),
						};
					},
					backup: ({ params }) => {
						const task = this.backupTasks.find((entry) => entry.task_id === Number(params.task_id));
						if (!task) throw new DsmError(4401);
						task.status = 'backup';
						task.runs++;
						return undefined;
					},
				},
				1,
			),
			'SYNO.Core.Share.Snapshot': fs({
				list: ({ params }) => {
					const share = params.name ?? '';
					if (!this.files.has(`/${share}`) || share.includes('/')) throw new DsmError(408);
					const list = this.snapshots.get(share) ?? [];
					return { snapshots: list.map((snapshot) => ({ ...snapshot })), total: list.length };
				},
				create: ({ params }) => {
					const share = params.name ?? '';
					if (!this.files.has(`/${share}`) || share.includes('/')) throw new DsmError(408);
					const options = params.snapshot
						? (JSON.parse(params.snapshot) as { desc?: string; lock?: boolean })
						: {};
					const d = new Date(Date.now() + (this.snapshots.get(share)?.length ?? 0) * 1000);
					const pad = (n: number) => String(n).padStart(2, '0');
					const time = `GMT+00-${d.getUTCFullYear()}.${pad(d.getUTCMonth() + 1)}.${pad(d.getUTCDate())}-${pad(d.getUTCHours())}.${pad(d.getUTCMinutes())}.${pad(d.getUTCSeconds())}`;
					const list = this.snapshots.get(share) ?? [];
					list.push({ time, desc: options.desc ?? '', lock: options.lock ?? false });
					this.snapshots.set(share, list);
					return time;
				},
			}),
		};
		return apis;
	}

	private login(params: Record<string, string>): Data {
		if (params.account !== this.account || params.passwd !== this.password) throw new DsmError(400);
		if (params.format && params.format !== 'sid' && params.format !== 'cookie') throw new DsmError(101);
		let did: string | undefined;
		if (this.otpSecret) {
			const trusted = params.device_id && this.devices.get(params.device_id) === this.account;
			if (!trusted) {
				if (!params.otp_code) throw new DsmError(403);
				const now = Date.now();
				const valid = [-30000, 0, 30000].some(
					(skew) => totp(this.otpSecret as string, now + skew) === params.otp_code,
				);
				if (!valid) throw new DsmError(404);
				this.otpLogins++;
				if (params.enable_device_token === 'yes') {
					did = randomBytes(24).toString('base64url');
					this.devices.set(did, this.account);
				}
			}
		}
		const sid = randomBytes(16).toString('base64url');
		this.sessions.set(sid, { account: this.account, createdAt: Date.now(), lastUsed: Date.now() });
		this.logins++;
		return { sid, ...(did ? { did } : {}), is_portal_port: false };
	}

	private moveTree(from: string, to: string): void {
		const entries = [from, ...this.descendants(from)];
		for (const path of entries) {
			const node = this.files.get(path);
			if (!node) continue;
			this.files.delete(path);
			this.files.set(to + path.slice(from.length), node);
		}
	}

	private copyTree(from: string, to: string): void {
		for (const path of [from, ...this.descendants(from)]) {
			const node = this.files.get(path);
			if (!node) continue;
			this.files.set(to + path.slice(from.length), {
				...node,
				data: node.data ? Buffer.from(node.data) : undefined,
			});
		}
	}
}

export async function startDsmSimulator(options: DsmSimulatorOptions = {}): Promise<DsmSimulator> {
	return await new DsmSimulator(options).start();
}
