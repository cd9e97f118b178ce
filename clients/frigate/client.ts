import http from 'node:http';
import https from 'node:https';

import { describeError, errorCode } from '../../shared/errors';
import { sleep } from '../../shared/timing';
import type {
	CreateEventOptions,
	EventListFilters,
	ExportOptions,
	FrigateEvent,
	FrigateMedia,
	FrigateReviewItem,
	FrigateSuccess,
	ReviewListFilters,
} from './types';

// A typed client for Frigate's HTTP API (docs.frigate.video/integrations/api). It talks to either the internal
// port 5000 (no authentication) or the authenticated port 8971, where `POST /api/login` sets a JWT in the
// `frigate_token` cookie; the client sends that JWT as a Bearer token and logs in again once if it expires.

export interface FrigateConnection {
	/** e.g. http://frigate.lab:5000 or https://frigate.lab:8971 (with or without a trailing /api) */
	url: string;
	auth: 'none' | 'password';
	username?: string;
	password?: string;
	/** accept a self-signed certificate on https:// (Frigate's port 8971 generates one by default) */
	allowSelfSigned?: boolean;
	timeoutMs?: number;
}

export interface RequestOptions {
	query?: Record<string, string | number | boolean | undefined>;
	body?: unknown;
	signal?: AbortSignal;
	timeoutMs?: number;
}

interface RawResponse {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
}

/** A failed Frigate call: the HTTP status (when there was an answer), Frigate's own message, the path. */
export class FrigateApiError extends Error {
	constructor(
		message: string,
		readonly status: number | undefined,
		readonly path: string,
		readonly frigateMessage?: string,
		readonly code?: string,
	) {
		super(message);
		this.name = 'FrigateApiError';
	}
}

const ID_PATTERN = /^[\w.-]+$/;

function checkId(what: string, value: string): string {
	const trimmed = value.trim();
	if (!trimmed) throw new Error(`${what} is empty`);
	if (!ID_PATTERN.test(trimmed)) {
		throw new Error(`"${value}" is not a valid Frigate ${what} (letters, digits, "_", "-" and "." only)`);
	}
	return trimmed;
}

function list(values: string[] | undefined): string | undefined {
	const cleaned = (values ?? []).map((value) => value.trim()).filter(Boolean);
	return cleaned.length ? cleaned.join(',') : undefined;
}

function flag(value: boolean | undefined): number | undefined {
	return value === undefined ? undefined : value ? 1 : 0;
}

/** Frigate answers errors as {"success": false, "message": ...} or FastAPI's {"detail": ...}. */
function frigateMessage(body: Buffer): string | undefined {
	const text = body.toString('utf8').trim();
	if (!text) return undefined;
	try {
		const parsed = JSON.parse(text) as { message?: unknown; detail?: unknown };
		if (typeof parsed.message === 'string') return parsed.message;
		if (typeof parsed.detail === 'string') return parsed.detail;
		if (parsed.detail !== undefined) return JSON.stringify(parsed.detail);
	} catch {
		// not JSON: fall through to the text itself
	}
	return text.slice(0, 300);
}

export function normalizeBaseUrl(raw: string): URL {
	if (!URL.canParse(raw.trim())) {
		throw new Error(`"${raw}" is not a valid URL: use e.g. http://frigate.lab:5000`);
	}
	const url = new URL(raw.trim());
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new Error(`"${raw}" must start with http:// or https://`);
	}
	url.pathname = url.pathname.replace(/\/+$/, '').replace(/\/api$/, '');
	url.search = '';
	url.hash = '';
	return url;
}

export class FrigateClient {
	private readonly base: URL;
	private token: string | undefined;
	private readonly agent: http.Agent;

	constructor(private readonly connection: FrigateConnection) {
		this.base = normalizeBaseUrl(connection.url);
		this.agent =
			this.base.protocol === 'https:'
				? new https.Agent({ keepAlive: true, rejectUnauthorized: !connection.allowSelfSigned })
				: new http.Agent({ keepAlive: true });
		if (connection.auth === 'password' && !connection.username) {
			throw new Error('Frigate user name is empty: enter the user you log in to Frigate with');
		}
	}

	get baseUrl(): string {
		return this.base.toString().replace(/\/$/, '');
	}

	close(): void {
		this.agent.destroy();
	}

	/** `POST /api/login` with {user, password}; Frigate answers 200 with the JWT in the frigate_token cookie. */
	async login(signal?: AbortSignal): Promise<string> {
		const response = await this.raw('POST', '/login', {
			body: { user: this.connection.username ?? '', password: this.connection.password ?? '' },
			signal,
		});
		if (response.status === 401 || response.status === 400) {
			throw new FrigateApiError(
				'Frigate rejected the user name or password',
				response.status,
				'/login',
				frigateMessage(response.body),
			);
		}
		if (response.status >= 300) throw this.failure(response, 'POST', '/login');
		const cookies = response.headers['set-cookie'] ?? [];
		for (const cookie of cookies) {
			const match = /^frigate_token=([^;]+)/.exec(cookie);
			if (match) {
				this.token = match[1];
				return match[1];
			}
		}
		throw new FrigateApiError(
			'Frigate accepted the login but set no frigate_token cookie: is this the authenticated port (8971)?',
			response.status,
			'/login',
		);
	}

	/** One API call (path relative to /api); JSON in, raw bytes out. Handles login and one re-login on 401. */
	async request(method: string, path: string, options: RequestOptions = {}): Promise<RawResponse> {
		if (this.connection.auth === 'password' && !this.token) await this.login(options.signal);
		let response = await this.raw(method, path, options);
		if (response.status === 401 && this.connection.auth === 'password') {
			await this.login(options.signal);
			response = await this.raw(method, path, options);
		}
		if (response.status >= 400) throw this.failure(response, method, path);
		return response;
	}

	async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
		const response = await this.request(method, path, options);
		const text = response.body.toString('utf8');
		if (!text.trim()) return {} as T;
		const parsed = parseJson(text);
		if (!parsed.ok) {
			throw new FrigateApiError(
				`Frigate answered ${method} /api${path} with something that is not JSON: ${text.slice(0, 120)}`,
				response.status,
				path,
			);
		}
		return parsed.value as T;
	}

	private async bytes(path: string, fileName: string, options: RequestOptions = {}): Promise<FrigateMedia> {
		const response = await this.request('GET', path, options);
		const mimeType = String(response.headers['content-type'] ?? 'application/octet-stream').split(';')[0];
		return { data: response.body, mimeType, fileName };
	}

	// ---- events (docs: Events) ----

	/** `GET /api/events` with Frigate's filters; comma-separated lists, unix-second bounds. */
	async listEvents(filters: EventListFilters = {}, signal?: AbortSignal): Promise<FrigateEvent[]> {
		return await this.json<FrigateEvent[]>('GET', '/events', {
			signal,
			query: {
				camera: list(filters.camera),
				labels: list(filters.label),
				sub_labels: list(filters.subLabel),
				zones: list(filters.zone),
				after: filters.after,
				before: filters.before,
				has_clip: flag(filters.hasClip),
				has_snapshot: flag(filters.hasSnapshot),
				in_progress: flag(filters.inProgress),
				favorites: flag(filters.favorites),
				include_thumbnails: 0,
				limit: filters.limit ?? 100,
			},
		});
	}

	async getEvent(id: string, signal?: AbortSignal): Promise<FrigateEvent> {
		return await this.json<FrigateEvent>('GET', `/events/${checkId('event id', id)}`, { signal });
	}

	async deleteEvent(id: string, signal?: AbortSignal): Promise<FrigateSuccess> {
		return await this.json<FrigateSuccess>('DELETE', `/events/${checkId('event id', id)}`, { signal });
	}

	/** `POST /api/events/<id>/sub_label` {subLabel, subLabelScore}: e.g. the name of a recognised face. */
	async setSubLabel(
		id: string,
		subLabel: string,
		score?: number,
		signal?: AbortSignal,
	): Promise<FrigateSuccess> {
		const label = subLabel.trim();
		if (!label) throw new Error('Sub label is empty: use "Clear Sub Label" to remove one');
		if (label.length > 100) throw new Error('Sub label is longer than Frigate’s limit of 100 characters');
		if (score !== undefined && (score < 0 || score > 1)) {
			throw new Error(`Sub label score ${score} is outside 0-1`);
		}
		return await this.json<FrigateSuccess>('POST', `/events/${checkId('event id', id)}/sub_label`, {
			body: { subLabel: label, ...(score === undefined ? {} : { subLabelScore: score }) },
			signal,
		});
	}

	/** An empty subLabel clears it (Frigate stores null). */
	async clearSubLabel(id: string, signal?: AbortSignal): Promise<FrigateSuccess> {
		return await this.json<FrigateSuccess>('POST', `/events/${checkId('event id', id)}/sub_label`, {
			body: { subLabel: '' },
			signal,
		});
	}

	/** Retain ("favorite", the star in Frigate's UI) keeps an event past the retention period. */
	async setRetain(id: string, retain: boolean, signal?: AbortSignal): Promise<FrigateSuccess> {
		return await this.json<FrigateSuccess>(
			retain ? 'POST' : 'DELETE',
			`/events/${checkId('event id', id)}/retain`,
			{
				signal,
			},
		);
	}

	/** `POST /api/events/<camera>/<label>/create`: a manual event (e.g. a doorbell press); returns its id. */
	async createEvent(
		camera: string,
		label: string,
		options: CreateEventOptions = {},
		signal?: AbortSignal,
	): Promise<FrigateSuccess & { event_id: string }> {
		const body: Record<string, unknown> = {
			include_recording: options.includeRecording ?? true,
			duration: options.duration === undefined ? 30 : options.duration,
		};
		if (options.subLabel) body.sub_label = options.subLabel;
		if (options.score !== undefined) body.score = options.score;
		return await this.json('POST', `/events/${checkId('camera', camera)}/${checkId('label', label)}/create`, {
			body,
			signal,
		});
	}

	/** `PUT /api/events/<id>/end` {end_time}: ends a manual event (now when no time is given). */
	async endEvent(id: string, endTime?: number, signal?: AbortSignal): Promise<FrigateSuccess> {
		return await this.json<FrigateSuccess>('PUT', `/events/${checkId('event id', id)}/end`, {
			body: endTime === undefined ? {} : { end_time: endTime },
			signal,
		});
	}

	// ---- media (docs: Media) ----

	async snapshot(
		id: string,
		options: { boundingBox?: boolean; crop?: boolean; height?: number } = {},
		signal?: AbortSignal,
	): Promise<FrigateMedia> {
		const eventId = checkId('event id', id);
		return await this.bytes(`/events/${eventId}/snapshot.jpg`, `${eventId}-snapshot.jpg`, {
			signal,
			query: { bbox: flag(options.boundingBox), crop: flag(options.crop), h: options.height },
		});
	}

	async thumbnail(id: string, signal?: AbortSignal): Promise<FrigateMedia> {
		const eventId = checkId('event id', id);
		return await this.bytes(`/events/${eventId}/thumbnail.jpg`, `${eventId}-thumbnail.jpg`, { signal });
	}

	async clip(id: string, signal?: AbortSignal): Promise<FrigateMedia> {
		const eventId = checkId('event id', id);
		return await this.bytes(`/events/${eventId}/clip.mp4`, `${eventId}.mp4`, { signal, timeoutMs: 120000 });
	}

	/**
	 * The clip of an event, waiting for it: Frigate answers 404 while the event is still running and for a
	 * while after it ended (the recording segment is not written yet), so the `end` message usually arrives
	 * before the clip exists. An unknown event fails at once instead of waiting.
	 */
	async waitForClip(
		id: string,
		options: { timeoutMs: number; intervalMs?: number; signal?: AbortSignal },
	): Promise<FrigateMedia & { waitedMs: number }> {
		const started = Date.now();
		await this.getEvent(id, options.signal);
		const interval = options.intervalMs ?? 1000;
		for (;;) {
			const attempt = await this.clip(id, options.signal).then(
				(media) => ({ media, error: undefined }),
				(error: unknown) => ({ media: undefined, error }),
			);
			if (attempt.media) return { ...attempt.media, waitedMs: Date.now() - started };
			const error = attempt.error;
			if (!(error instanceof FrigateApiError) || error.status !== 404) throw error;
			if (Date.now() - started + interval > options.timeoutMs) {
				throw new FrigateApiError(
					`The clip of event ${id} was not ready within ${Math.round(options.timeoutMs / 1000)} s`,
					404,
					error.path,
					error.frigateMessage,
				);
			}
			await sleep(interval, options.signal);
		}
	}

	/** `GET /api/<camera>/latest.jpg`: the most recent frame of a camera. */
	async latestFrame(
		camera: string,
		options: { height?: number } = {},
		signal?: AbortSignal,
	): Promise<FrigateMedia> {
		const name = checkId('camera', camera);
		return await this.bytes(`/${name}/latest.jpg`, `${name}-latest.jpg`, {
			signal,
			query: { h: options.height },
		});
	}

	// ---- review (docs: Review) ----

	async listReviews(filters: ReviewListFilters = {}, signal?: AbortSignal): Promise<FrigateReviewItem[]> {
		return await this.json<FrigateReviewItem[]>('GET', '/review', {
			signal,
			query: {
				cameras: list(filters.cameras),
				labels: list(filters.labels),
				zones: list(filters.zones),
				severity: filters.severity,
				reviewed: flag(filters.reviewed),
				after: filters.after,
				before: filters.before,
				limit: filters.limit ?? 100,
			},
		});
	}

	/** `POST /api/reviews/viewed` {ids}. */
	async markReviewed(ids: string[], signal?: AbortSignal): Promise<FrigateSuccess> {
		const checked = ids.map((id) => checkId('review id', id));
		if (checked.length === 0) throw new Error('No review ids given');
		return await this.json<FrigateSuccess>('POST', '/reviews/viewed', { body: { ids: checked }, signal });
	}

	// ---- export (docs: Export) ----

	/** `POST /api/export/<camera>/start/<start>/end/<end>`: exports recordings between two unix times. */
	async exportRecording(
		camera: string,
		start: number,
		end: number,
		options: ExportOptions = {},
		signal?: AbortSignal,
	): Promise<FrigateSuccess & { export_id?: string }> {
		if (!(end > start)) throw new Error('The export must end after it starts');
		const body: Record<string, unknown> = { playback: options.playback ?? 'realtime' };
		if (options.name) body.name = options.name;
		return await this.json('POST', `/export/${checkId('camera', camera)}/start/${start}/end/${end}`, {
			body,
			signal,
		});
	}

	// ---- app (docs: App) ----

	async stats(signal?: AbortSignal): Promise<Record<string, unknown>> {
		return await this.json('GET', '/stats', { signal });
	}

	async config(
		signal?: AbortSignal,
	): Promise<{ cameras: Record<string, Record<string, unknown>> } & Record<string, unknown>> {
		return await this.json('GET', '/config', { signal });
	}

	async cameraNames(signal?: AbortSignal): Promise<string[]> {
		const config = await this.config(signal);
		return Object.keys(config.cameras ?? {}).sort();
	}

	// ---- plumbing ----

	private failure(response: RawResponse, method: string, path: string): FrigateApiError {
		const message = frigateMessage(response.body);
		const what = `Frigate answered ${method} /api${path} with ${response.status}`;
		const hint =
			response.status === 401
				? ': authentication required (use user/password auth for the authenticated port 8971)'
				: response.status === 403
					? ': this user is not allowed to do that (an admin is required)'
					: '';
		return new FrigateApiError(
			`${what}${message ? `: ${message}` : ''}${hint}`,
			response.status,
			path,
			message,
		);
	}

	private async raw(method: string, path: string, options: RequestOptions): Promise<RawResponse> {
		const url = new URL(`${this.base.pathname.replace(/\/+$/, '')}/api${path}`, this.base.origin);
		for (const [key, value] of Object.entries(options.query ?? {})) {
			if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
		}
		const body = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
		const headers: Record<string, string> = { accept: '*/*' };
		if (body) {
			headers['content-type'] = 'application/json';
			headers['content-length'] = String(body.length);
		}
		if (this.token) {
			headers.authorization = `Bearer ${this.token}`;
			headers.cookie = `frigate_token=${this.token}`;
		}
		const transport = url.protocol === 'https:' ? https : http;
		const timeoutMs = options.timeoutMs ?? this.connection.timeoutMs ?? 30000;
		return await new Promise<RawResponse>((resolve, reject) => {
			const request = transport.request(
				url,
				{ method, headers, agent: this.agent, signal: options.signal },
				(response) => {
					const chunks: Buffer[] = [];
					response.on('data', (chunk: Buffer) => chunks.push(chunk));
					response.on('error', reject);
					response.on('end', () =>
						resolve({
							status: response.statusCode ?? 0,
							headers: response.headers,
							body: Buffer.concat(chunks),
						}),
					);
				},
			);
			request.setTimeout(timeoutMs, () =>
				request.destroy(new Error(`Frigate did not answer within ${Math.round(timeoutMs / 1000)} s`)),
			);
			request.on('error', (error) => {
				const code = errorCode(error);
				const reason = options.signal?.aborted ? 'cancelled' : describeError(error);
				reject(
					new FrigateApiError(
						`Could not reach Frigate at ${this.baseUrl} (${method} /api${path}): ${reason}`,
						undefined,
						path,
						undefined,
						code,
					),
				);
			});
			request.end(body);
		});
	}
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch {
		return { ok: false };
	}
}
