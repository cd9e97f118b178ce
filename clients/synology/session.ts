import { sleep } from '../../shared/timing';
import { SynologyApiError, SynologyInputError, SynologyTransportError } from './errors';
import { totp } from './totp';
import { multipartBody, nodeTransport, type SynologyTransport, type TransportResponse } from './transport';
import type {
	ApiInfoEntry,
	CallOptions,
	Json,
	JsonObject,
	ParamValue,
	Params,
	ProgressListener,
	SynologyClientOptions,
} from './types';

// The DSM session every API family of SynologyClient builds on, free of n8n types so the backend can reuse it.
// - Paths and versions come from SYNO.API.Info (DSM Login Web API Guide, "API Workflow" step 1), never
//   hard-coded: each call states the version range this client speaks and the highest one DSM offers is used.
// - Login is SYNO.API.Auth `login` with `format=sid`, `enable_device_token=yes` and a `device_name`; DSM then
//   returns a device id (`did`) that, presented as `device_id` on later logins, skips 2-step verification.
//   The id goes to a DeviceIdStore the caller provides (n8n: see nodes/Synology/transport).
// - A call that fails because the session ended (106 timeout, 107 duplicate login, 119 SID not found) logs in
//   again once and repeats the call.

const SESSION_ERRORS = new Set([106, 107, 119]);

function encodeParam(value: Exclude<ParamValue, undefined>): string {
	if (Array.isArray(value) || (typeof value === 'object' && value !== null)) return JSON.stringify(value);
	return String(value);
}

/** Waits `ms`; a cancel while waiting rejects as the transport's own "cancelled" error. */
function delay(ms: number, signal?: AbortSignal): Promise<void> {
	return sleep(ms, signal).catch(() => {
		throw new SynologyTransportError('cancelled');
	});
}

export class SynologySession {
	readonly baseUrl: string;
	private readonly transport: SynologyTransport;
	private apis?: Record<string, ApiInfoEntry>;
	private sid?: string;
	private loginPromise?: Promise<string>;
	/** Device id DSM returned at the last login that asked for one (also written to the store). */
	deviceId?: string;
	/** How many times this client logged in (tests and diagnostics). */
	logins = 0;

	constructor(protected readonly options: SynologyClientOptions) {
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
		this.apis = SynologySession.envelope('SYNO.API.Info', 'query', response) as unknown as Record<
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
			if (options.raw && !SynologySession.isErrorEnvelope(response)) return response as unknown as T;
			try {
				return SynologySession.envelope(api, method, response) as unknown as T;
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
			data = SynologySession.envelope(
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
			data = SynologySession.envelope(
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
			SynologySession.envelope('SYNO.API.Auth', 'logout', response);
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
			await this.pauseBetweenPolls();
		}
	}

	/** The pause between two polls of a background task; ends early (without error) when the caller cancels. */
	protected async pauseBetweenPolls(): Promise<void> {
		await delay(this.options.pollIntervalMs ?? 500, this.options.signal).catch(() => undefined);
	}
}
