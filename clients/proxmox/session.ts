// The Proxmox VE API session every family of ProxmoxClient builds on (client.ts says why the families are stacked
// classes): it authenticates with an API token or a ticket login, form-encodes writes like the web UI does and
// turns every non-2xx answer into a ProxmoxApiError. Free of n8n so the backend can use it too.

import { ProxmoxApiError, ProxmoxInputError } from './errors';
import { nodeRequest, type HttpRequest, type RequestFunction } from './transport';
import type { GuestKind, Params, ProxmoxAuth, ProxmoxClientOptions } from './types';
import {
	assertNodeName,
	assertPollInterval,
	assertTokenSecret,
	assertVmid,
	parseTokenId,
} from './validation';

function normalizeBaseUrl(raw: string): string {
	let url: URL;
	try {
		url = new URL(raw.trim());
	} catch {
		throw new ProxmoxInputError(
			`"${raw}" is not a URL`,
			'baseUrl',
			'Write it like https://pve1.lab.example:8006',
		);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new ProxmoxInputError(
			`"${raw}" is not an http(s) URL`,
			'baseUrl',
			'Write it like https://pve1.lab.example:8006',
		);
	}
	const path = url.pathname.replace(/\/+$/, '').replace(/\/api2\/json$/, '');
	return `${url.origin}${path}/api2/json`;
}

function encodeParams(params: Params | undefined): string {
	const search = new URLSearchParams();
	for (const [key, value] of Object.entries(params ?? {})) {
		if (value === undefined || value === null) continue;
		search.append(key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
	}
	// URLSearchParams writes spaces as "+", which Proxmox decodes as a space; %20 is the unambiguous form.
	return search.toString().replace(/\+/g, '%20');
}

/** One path segment, percent-encoded. */
export const seg = (value: string | number) => encodeURIComponent(String(value));

export class ProxmoxSession {
	readonly baseUrl: string;
	private readonly request: RequestFunction;
	private readonly allowSelfSigned: boolean;
	private readonly requestTimeoutMs: number;
	readonly pollIntervalMs: number;
	private readonly tokenHeader?: string;
	private ticket?: { cookie: string; csrf: string; username: string };

	constructor(private readonly options: ProxmoxClientOptions) {
		this.baseUrl = normalizeBaseUrl(options.baseUrl);
		this.request = options.request ?? nodeRequest;
		this.allowSelfSigned = options.allowSelfSigned ?? false;
		this.requestTimeoutMs = options.requestTimeoutMs ?? 30000;
		this.pollIntervalMs = assertPollInterval(options.pollIntervalMs ?? 1000);
		const auth = options.auth;
		if (auth.type === 'token') {
			const tokenId = parseTokenId(auth.tokenId);
			this.tokenHeader = `PVEAPIToken=${tokenId.full}=${assertTokenSecret(auth.secret)}`;
		} else if (!auth.username.trim() || !auth.password) {
			throw new ProxmoxInputError(
				'User name and password are both required for a password login',
				'username',
			);
		}
	}

	/** Who the client authenticates as (USER@REALM or USER@REALM!TOKEN). */
	get identity(): string {
		const auth = this.options.auth;
		if (auth.type === 'token') return parseTokenId(auth.tokenId).full;
		return this.loginName();
	}

	private loginName(): string {
		const auth = this.options.auth as Extract<ProxmoxAuth, { type: 'password' }>;
		const username = auth.username.trim();
		return username.includes('@') ? username : `${username}@${auth.realm?.trim() || 'pam'}`;
	}

	// ---- HTTP ----------------------------------------------------------------------------------------------

	private async send(
		method: HttpRequest['method'],
		path: string,
		params: Params | undefined,
		headers: Record<string, string>,
		signal?: AbortSignal,
	): Promise<{ status: number; statusText: string; json: Record<string, unknown> }> {
		const encoded = encodeParams(params);
		const hasBody = method === 'POST' || method === 'PUT';
		const url = `${this.baseUrl}${path}${!hasBody && encoded ? `?${encoded}` : ''}`;
		let response;
		try {
			response = await this.request({
				method,
				url,
				headers: {
					accept: 'application/json',
					...(hasBody ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
					...headers,
				},
				body: hasBody ? encoded : undefined,
				allowSelfSigned: this.allowSelfSigned,
				timeoutMs: this.requestTimeoutMs,
				signal,
			});
		} catch (error) {
			const code = (error as { code?: string }).code;
			const message = error instanceof Error ? error.message : String(error);
			const selfSigned =
				/self[- ]signed|unable to verify/i.test(message) || code === 'DEPTH_ZERO_SELF_SIGNED_CERT';
			throw new ProxmoxApiError(
				selfSigned
					? `The certificate of ${new URL(this.baseUrl).host} does not verify (self-signed)`
					: `No answer from ${new URL(this.baseUrl).host} for ${method} ${path}: ${message}`,
				{ method, path, status: 0, code },
			);
		}
		let json: Record<string, unknown> = {};
		if (response.body) {
			try {
				json = JSON.parse(response.body) as Record<string, unknown>;
			} catch {
				json = {};
			}
		}
		return { status: response.status, statusText: response.statusText, json };
	}

	private toError(
		method: string,
		path: string,
		status: number,
		statusText: string,
		json: Record<string, unknown>,
	) {
		const errors = (json.errors ?? undefined) as Record<string, string> | undefined;
		const reason = (statusText || (typeof json.message === 'string' ? json.message : '')).trim();
		let message = reason || `HTTP ${status}`;
		if (errors && Object.keys(errors).length > 0) {
			const list = Object.entries(errors)
				.map(([key, value]) => `${key}: ${String(value).trim()}`)
				.join('; ');
			message = `${reason || 'Parameter verification failed.'} ${list}`;
		}
		return new ProxmoxApiError(message, { method, path, status, reason, errors });
	}

	private async login(signal?: AbortSignal): Promise<void> {
		const auth = this.options.auth as Extract<ProxmoxAuth, { type: 'password' }>;
		const path = '/access/ticket';
		const { status, statusText, json } = await this.send(
			'POST',
			path,
			{ username: this.loginName(), password: auth.password },
			{},
			signal,
		);
		if (status < 200 || status >= 300) throw this.toError('POST', path, status, statusText, json);
		const data = json.data as { ticket?: string; CSRFPreventionToken?: string; username?: string } | null;
		if (!data?.ticket || !data.CSRFPreventionToken) {
			throw new ProxmoxApiError('The ticket login answered without a ticket', {
				method: 'POST',
				path,
				status,
			});
		}
		this.ticket = {
			cookie: `PVEAuthCookie=${encodeURIComponent(data.ticket)}`,
			csrf: data.CSRFPreventionToken,
			username: data.username ?? this.loginName(),
		};
	}

	/** One API call; returns the `data` member of the answer. Retries once after re-login when a ticket expired. */
	async call<T = unknown>(
		method: HttpRequest['method'],
		path: string,
		params?: Params,
		signal?: AbortSignal,
	): Promise<T> {
		for (let attempt = 0; ; attempt++) {
			const headers: Record<string, string> = {};
			if (this.tokenHeader) {
				headers.authorization = this.tokenHeader;
			} else {
				if (!this.ticket) await this.login(signal);
				headers.cookie = this.ticket!.cookie;
				if (method !== 'GET') headers.csrfpreventiontoken = this.ticket!.csrf;
			}
			const { status, statusText, json } = await this.send(method, path, params, headers, signal);
			if (status >= 200 && status < 300) return json.data as T;
			if (status === 401 && !this.tokenHeader && attempt === 0) {
				this.ticket = undefined;
				continue;
			}
			throw this.toError(method, path, status, statusText, json);
		}
	}

	async get<T = unknown>(path: string, params?: Params, signal?: AbortSignal): Promise<T> {
		return await this.call<T>('GET', path, params, signal);
	}
	async post<T = unknown>(path: string, params?: Params, signal?: AbortSignal): Promise<T> {
		return await this.call<T>('POST', path, params, signal);
	}
	async put<T = unknown>(path: string, params?: Params, signal?: AbortSignal): Promise<T> {
		return await this.call<T>('PUT', path, params, signal);
	}
	async delete<T = unknown>(path: string, params?: Params, signal?: AbortSignal): Promise<T> {
		return await this.call<T>('DELETE', path, params, signal);
	}

	/** /nodes/{node}/{qemu|lxc}/{vmid}, the root of every per-guest call. */
	protected vmPath(node: string, vmid: number | string, kind: GuestKind = 'qemu'): string {
		return `/nodes/${seg(assertNodeName(node))}/${kind}/${assertVmid(vmid)}`;
	}
}
