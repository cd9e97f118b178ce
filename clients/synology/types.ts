// Option and response types of the DSM client (clients/synology), shared by the nodes and the backend.

import type { SynologyTransport } from './transport';

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

export interface ListOptions {
	offset?: number;
	limit?: number;
	sortBy?: string;
	sortDirection?: 'asc' | 'desc';
	additional?: string[];
}

export interface FileEntry extends JsonObject {
	path: string;
	name: string;
	isdir: boolean;
}

/** A Download Station task (Download Station guide, SYNO.DownloadStation.Task list/getinfo). */
export interface DownloadTask extends JsonObject {
	id: string;
	type: string;
	title: string;
	size: number;
	status: string;
	username: string;
}

/** What `additional=detail,transfer` adds to a DownloadTask (its `additional` field). */
export interface DownloadTaskAdditional {
	detail?: { destination?: string; uri?: string; create_time?: number };
	transfer?: { size_downloaded?: number; speed_download?: number };
}

/** A DownloadTask as the nodes output it: progress in %, times as ISO text (a type, so it fits n8n's JSON). */
export type DownloadTaskSummary = {
	id: string;
	title: string;
	type: string;
	status: string;
	size: number;
	downloaded: number;
	progress: number;
	speedDownload: number;
	destination: string | null;
	uri: string | null;
	createdAt: string | null;
	username: string;
	statusExtra?: Json;
};

/** One task's result of pause/resume/delete: DSM answers per id, a failed id carries its error in words. */
export interface DownloadTaskActionResult {
	id: string;
	ok: boolean;
	error?: string;
}

/** SYNO.Core.System.Utilization get (DSM 7 Web UI): loads in %, memory in %, network in bytes/s. */
export interface Utilization {
	cpu?: {
		user_load?: number;
		system_load?: number;
		other_load?: number;
		'1min_load'?: number;
		'5min_load'?: number;
		'15min_load'?: number;
	};
	memory?: { real_usage?: number; total_real?: number; avail_real?: number; memory_size?: number };
	network?: Array<{ device: string; rx: number; tx: number }>;
	disk?: { disk?: Array<Record<string, unknown>>; total?: Record<string, unknown> };
}

/** SYNO.Storage.CGI.Storage load_info (DSM 7 Web UI): volumes with usage, disks with their SMART status. */
export interface StorageInfo {
	volumes?: Array<{
		id: string;
		vol_path?: string;
		status?: string;
		fs_type?: string;
		size?: { total?: string; used?: string };
	}>;
	disks?: Array<{
		id: string;
		name?: string;
		model?: string;
		serial?: string;
		status?: string;
		smart_status?: string;
		temp?: number;
		exceed_bad_sector_thr?: boolean;
		below_remain_life_thr?: boolean;
		size_total?: string;
	}>;
}
