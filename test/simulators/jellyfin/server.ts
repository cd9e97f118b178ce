// A minimal Jellyfin server for the one call the media workflow makes, built from Jellyfin's documentation:
// - API reference (https://api.jellyfin.org, tag "Library", operation RefreshLibrary): `POST /Library/Refresh`
//   "Starts a library scan", policy RequiresElevation; answers 204 "Library scan started", 401 Unauthorized,
//   403 Forbidden. No request body or query parameters.
// - Developer docs, "API → Authorization" (jellyfin.org/developers/docs/api/authorization, first published as the
//   gist nielsvanvelzen/ea047d9028f676185832e51ffaf12a6f by a Jellyfin maintainer):
//   the recommended `Authorization: MediaBrowser Token="<key>", Client="..."` header (named values, comma
//   separated, values in double quotes and URL-encoded), the `ApiKey` query parameter, and the deprecated
//   `X-Emby-Token` / `X-MediaBrowser-Token` headers that only work while legacy authorization is enabled
//   (`EnableLegacyAuthorization`, the default up to 10.11).
// It rejects what Jellyfin rejects: no token or an unknown one (401), another method on the route (405), and
// unknown routes (404). An API key made in Dashboard → API Keys has administrator rights, so it is elevated.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LibraryRefresh {
	at: number;
	/** Where the token came from: `Authorization`, `ApiKey`, `X-Emby-Token`, `X-MediaBrowser-Token`. */
	via: string;
	token: string;
}

export interface JellyfinRequest {
	method: string;
	path: string;
	status: number;
}

export interface JellyfinSimulatorOptions {
	/** The API keys the server knows (Dashboard → API Keys). */
	apiKeys: string[];
	/** Accept the deprecated token headers and `api_key` (Jellyfin's EnableLegacyAuthorization). */
	legacyAuthorization?: boolean;
}

/** Parses `MediaBrowser Token="abc", Client="n8n"` into its named values (undefined for another scheme). */
export function parseMediaBrowserAuthorization(header: string): Record<string, string> | undefined {
	const match = /^\s*(MediaBrowser|Emby)\s+(.*)$/i.exec(header);
	if (!match) return undefined;
	const values: Record<string, string> = {};
	for (const part of match[2].matchAll(/([A-Za-z0-9]+)="([^"]*)"/g)) {
		values[part[1]] = decodeURIComponent(part[2]);
	}
	return values;
}

export class JellyfinSimulator {
	readonly apiKeys: Set<string>;
	legacyAuthorization: boolean;
	readonly refreshes: LibraryRefresh[] = [];
	readonly requests: JellyfinRequest[] = [];
	url = '';
	private server?: http.Server;

	constructor(options: JellyfinSimulatorOptions) {
		this.apiKeys = new Set(options.apiKeys);
		this.legacyAuthorization = options.legacyAuthorization ?? true;
	}

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

	/** The token of a request and where it came from, following the docs' list of places. */
	private token(req: IncomingMessage, url: URL): { via: string; token: string } | undefined {
		const authorization = req.headers.authorization;
		if (authorization) {
			const token = parseMediaBrowserAuthorization(authorization)?.Token;
			if (token) return { via: 'Authorization', token };
		}
		const apiKey = url.searchParams.get('ApiKey');
		if (apiKey) return { via: 'ApiKey', token: apiKey };
		if (!this.legacyAuthorization) return undefined;
		for (const header of ['x-emby-token', 'x-mediabrowser-token']) {
			const value = req.headers[header];
			if (typeof value === 'string' && value)
				return { via: header === 'x-emby-token' ? 'X-Emby-Token' : 'X-MediaBrowser-Token', token: value };
		}
		const legacy = url.searchParams.get('api_key');
		return legacy ? { via: 'api_key', token: legacy } : undefined;
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		for await (const chunk of req) void chunk;
		const url = new URL(req.url ?? '/', 'http://localhost');
		const answer = (status: number, body = '') => {
			this.requests.push({ method: req.method ?? '', path: url.pathname, status });
			if (body) res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
			else res.writeHead(status).end();
		};
		// ASP.NET routing in Jellyfin matches paths case-insensitively.
		if (url.pathname.toLowerCase() !== '/library/refresh') return answer(404);
		if (req.method !== 'POST') return answer(405);
		const token = this.token(req, url);
		if (!token || !this.apiKeys.has(token.token)) return answer(401);
		this.refreshes.push({ at: Date.now(), ...token });
		answer(204);
	}
}
