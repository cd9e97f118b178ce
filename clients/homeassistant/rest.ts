import http from 'node:http';
import https from 'node:https';

import { HomeAssistantError } from './errors';
import type { HassCalendar, HassCalendarEvent, HassState } from './types';
import { baseUrl } from './url';

// Home Assistant's REST API: https://developers.home-assistant.io/docs/api/rest
// Requests go through node:http(s) so the "allow self-signed certificate" option works the same for REST and the
// WebSocket, which share one set of connection options.

export interface HomeAssistantConnectionOptions {
	/** Address of Home Assistant, e.g. http://homeassistant.local:8123 */
	url: string;
	/** Long-lived access token (profile page -> Security). */
	token: string;
	/** Accept a certificate that does not verify (self-signed). */
	allowSelfSigned?: boolean;
	/** Per-request timeout; default 30 s. */
	timeoutMs?: number;
}

export interface RequestOptions {
	query?: Record<string, string | number | boolean | undefined>;
	body?: unknown;
	/** Return the raw bytes instead of parsing JSON/text. */
	binary?: boolean;
	signal?: AbortSignal;
	timeoutMs?: number;
}

export interface RawResponse {
	status: number;
	contentType: string;
	body: Buffer;
}

export interface BinaryResult {
	data: Buffer;
	contentType: string;
}

/** POST /api/services/<domain>/<service>?return_response answers with both lists. */
export interface ServiceResponse {
	changed_states: HassState[];
	service_response: Record<string, unknown>;
}

function parseBody(response: RawResponse): unknown {
	const text = response.body.toString('utf8');
	if (response.contentType.includes('json')) {
		try {
			return JSON.parse(text) as unknown;
		} catch {
			return text;
		}
	}
	return text;
}

function messageOf(body: unknown): string | undefined {
	if (typeof body === 'string') return body.trim() || undefined;
	const message = (body as { message?: unknown } | null)?.message;
	return typeof message === 'string' ? message : undefined;
}

function failUnlessOk(method: string, path: string, response: RawResponse): void {
	if (response.status >= 200 && response.status < 300) return;
	const body = parseBody(response);
	const said = messageOf(body);
	if (response.status === 401) {
		throw new HomeAssistantError('auth', 'Home Assistant refused the access token (401 Unauthorized)', {
			status: 401,
			body,
		});
	}
	throw new HomeAssistantError(
		'http',
		`Home Assistant answered ${method} ${path} with ${response.status}${said ? `: ${said}` : ''}`,
		{ status: response.status, body },
	);
}

export class HomeAssistantRest {
	readonly base: URL;

	constructor(readonly options: HomeAssistantConnectionOptions) {
		this.base = baseUrl(options.url);
	}

	async raw(method: string, path: string, options: RequestOptions = {}): Promise<RawResponse> {
		const url = new URL(`${this.base.pathname.replace(/\/+$/, '')}${path}`, this.base);
		for (const [key, value] of Object.entries(options.query ?? {})) {
			if (value === undefined || value === false) continue;
			// Flags such as ?return_response and ?minimal_response take no value.
			url.searchParams.set(key, value === true ? '' : String(value));
		}
		const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
		const client = url.protocol === 'https:' ? https : http;
		const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? 30000;
		return await new Promise<RawResponse>((resolve, reject) => {
			let settled = false;
			const finish = (error: Error | undefined, response?: RawResponse) => {
				if (settled) return;
				settled = true;
				options.signal?.removeEventListener('abort', onAbort);
				if (error) {
					request.destroy();
					reject(error);
				} else resolve(response as RawResponse);
			};
			const request = client.request(url, {
				method,
				rejectUnauthorized: !this.options.allowSelfSigned,
				headers: {
					authorization: `Bearer ${this.options.token}`,
					accept: 'application/json, */*',
					...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
				},
			});
			const onAbort = () =>
				finish(new HomeAssistantError('cancelled', `${method} ${url.pathname} was cancelled`));
			if (options.signal?.aborted) return onAbort();
			options.signal?.addEventListener('abort', onAbort, { once: true });
			request.setTimeout(timeoutMs, () =>
				finish(
					new HomeAssistantError(
						'timeout',
						`Home Assistant did not answer ${method} ${url.pathname} within ${timeoutMs} ms`,
					),
				),
			);
			request.once('error', (error) =>
				finish(HomeAssistantError.fromConnection(`Cannot reach Home Assistant at ${url.origin}`, error)),
			);
			request.once('response', (response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.once('error', (error) =>
					finish(HomeAssistantError.fromConnection('Home Assistant closed the response', error)),
				);
				response.once('end', () =>
					finish(undefined, {
						status: response.statusCode ?? 0,
						contentType: String(response.headers['content-type'] ?? ''),
						body: Buffer.concat(chunks),
					}),
				);
			});
			request.end(payload);
		});
	}

	/** One REST call; non-2xx answers become a HomeAssistantError carrying the status and Home Assistant's body. */
	async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
		const response = await this.raw(method, path, options);
		failUnlessOk(method, path, response);
		return (options.binary ? response.body : parseBody(response)) as T;
	}

	/** GET /api/ — `{"message": "API running."}` when the URL and token are right. */
	async ping(signal?: AbortSignal): Promise<{ message: string }> {
		return await this.request('GET', '/api/', { signal });
	}

	async getConfig(signal?: AbortSignal): Promise<Record<string, unknown>> {
		return await this.request('GET', '/api/config', { signal });
	}

	async checkConfig(signal?: AbortSignal): Promise<{ result: string; errors: string | null }> {
		return await this.request('POST', '/api/config/core/check_config', { signal });
	}

	async getStates(signal?: AbortSignal): Promise<HassState[]> {
		return await this.request('GET', '/api/states', { signal });
	}

	async getState(entityId: string, signal?: AbortSignal): Promise<HassState> {
		return await this.request('GET', `/api/states/${encodeURIComponent(entityId)}`, { signal });
	}

	/** POST /api/states/<entity_id>: sets the state *representation* (does not talk to the device). */
	async setState(
		entityId: string,
		state: string,
		attributes: Record<string, unknown> | undefined,
		signal?: AbortSignal,
	): Promise<HassState> {
		return await this.request('POST', `/api/states/${encodeURIComponent(entityId)}`, {
			body: { state, ...(attributes ? { attributes } : {}) },
			signal,
		});
	}

	/** POST /api/services/<domain>/<service>; with returnResponse, `?return_response` and both lists back. */
	async callService(
		domain: string,
		service: string,
		data: Record<string, unknown>,
		options: { returnResponse?: boolean; signal?: AbortSignal } = {},
	): Promise<HassState[] | ServiceResponse> {
		return await this.request(
			'POST',
			`/api/services/${encodeURIComponent(domain)}/${encodeURIComponent(service)}`,
			{ body: data, query: { return_response: options.returnResponse }, signal: options.signal },
		);
	}

	async fireEvent(
		eventType: string,
		data: Record<string, unknown>,
		signal?: AbortSignal,
	): Promise<{ message: string }> {
		return await this.request('POST', `/api/events/${encodeURIComponent(eventType)}`, { body: data, signal });
	}

	/** POST /api/template: the rendered text. */
	async renderTemplate(template: string, signal?: AbortSignal): Promise<string> {
		const rendered = await this.request<unknown>('POST', '/api/template', { body: { template }, signal });
		return typeof rendered === 'string' ? rendered : JSON.stringify(rendered);
	}

	/** GET /api/history/period/<start>?filter_entity_id=...: one list of states per entity. */
	async history(
		entityIds: string[],
		start: string,
		options: {
			end?: string;
			minimalResponse?: boolean;
			noAttributes?: boolean;
			significantChangesOnly?: boolean;
			signal?: AbortSignal;
		} = {},
	): Promise<HassState[][]> {
		return await this.request('GET', `/api/history/period/${encodeURIComponent(start)}`, {
			query: {
				filter_entity_id: entityIds.join(','),
				end_time: options.end,
				minimal_response: options.minimalResponse,
				no_attributes: options.noAttributes,
				significant_changes_only: options.significantChangesOnly,
			},
			signal: options.signal,
		});
	}

	/** GET /api/logbook/<start>[?entity=...&end_time=...]. */
	async logbook(
		start: string,
		options: { entityId?: string; end?: string; signal?: AbortSignal } = {},
	): Promise<Array<Record<string, unknown>>> {
		return await this.request('GET', `/api/logbook/${encodeURIComponent(start)}`, {
			query: { entity: options.entityId, end_time: options.end },
			signal: options.signal,
		});
	}

	async calendars(signal?: AbortSignal): Promise<HassCalendar[]> {
		return await this.request('GET', '/api/calendars', { signal });
	}

	async calendarEvents(
		entityId: string,
		start: string,
		end: string,
		signal?: AbortSignal,
	): Promise<HassCalendarEvent[]> {
		return await this.request('GET', `/api/calendars/${encodeURIComponent(entityId)}`, {
			query: { start, end },
			signal,
		});
	}

	/** GET /api/camera_proxy/<camera entity>: the current image. */
	async cameraSnapshot(entityId: string, signal?: AbortSignal): Promise<BinaryResult> {
		const path = `/api/camera_proxy/${encodeURIComponent(entityId)}`;
		const response = await this.raw('GET', path, { signal });
		failUnlessOk('GET', path, response);
		return { data: response.body, contentType: response.contentType || 'image/jpeg' };
	}
}
