// Traefik's file provider plus its read-only API, simulated (Traefik does not install here).
// - File provider (https://doc.traefik.io/traefik/providers/file/, `directory` + `watch: true`): every *.yml,
//   *.yaml, *.toml file of the directory is loaded (other extensions are skipped) and merged. Files are decoded
//   strictly, as Traefik's decoder does: an unknown key ("field not found, node: <key>"), a wrong type or a YAML
//   syntax error makes the WHOLE provider's configuration be discarded, every router of every file
//   (traefik#8921, #10890, #13464). Field names follow the dynamic-configuration reference
//   (https://doc.traefik.io/traefik/reference/dynamic-configuration/file/).
// - API (https://doc.traefik.io/traefik/operations/api/#endpoints): GET /api/http/routers,
//   /api/http/routers/{name}, /api/http/services, /api/http/services/{name}; names are "<name>@file". A router
//   whose service does not exist is listed with status "disabled" and the error Traefik shows on its dashboard.
// The directory is re-read on every request, which is what a watcher that reacts instantly would show.
// TOML files are not parsed here (the tests write none); one present counts as loaded and empty.
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { parseDocument } from 'yaml';

type Node = Record<string, unknown>;

// What Traefik's decoder knows, per level; "*" is a map of user-chosen names.
const KNOWN: Record<string, string[]> = {
	root: ['http', 'tcp', 'udp', 'tls'],
	http: ['routers', 'services', 'middlewares', 'serversTransports'],
	router: ['entryPoints', 'middlewares', 'service', 'rule', 'ruleSyntax', 'priority', 'tls', 'observability'],
	routerTls: ['options', 'certResolver', 'domains'],
	service: ['loadBalancer', 'weighted', 'mirroring', 'failover'],
	loadBalancer: [
		'servers',
		'sticky',
		'healthCheck',
		'passHostHeader',
		'responseForwarding',
		'serversTransport',
		'strategy',
	],
	server: ['url', 'weight', 'preservePath'],
};

class DecodeError extends Error {}

const isMap = (value: unknown): value is Node =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

function fields(value: unknown, level: string, at: string): Node {
	if (value === null || value === undefined) return {};
	if (!isMap(value)) throw new DecodeError(`cannot decode ${at}: expected a map`);
	for (const key of Object.keys(value)) {
		if (!KNOWN[level].includes(key)) throw new DecodeError(`field not found, node: ${key}`);
	}
	return value;
}

/** A map of user-chosen names (routers, services): any key, but it must be a map. */
function namedMap(value: unknown, at: string): Node {
	if (value === null || value === undefined) return {};
	if (!isMap(value)) throw new DecodeError(`cannot decode ${at}: expected a map`);
	return value;
}

function strings(value: unknown, at: string): string[] {
	if (value === undefined) return [];
	if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
		throw new DecodeError(`cannot decode ${at}: expected a list of strings`);
	}
	return value as string[];
}

interface SimRouter {
	rule: string;
	service: string;
	entryPoints: string[];
	file: string;
}

interface Loaded {
	routers: Map<string, SimRouter>;
	services: Map<string, { servers: string[] }>;
	error?: string;
}

function decodeFile(file: string, document: unknown, into: Loaded): void {
	const root = fields(document, 'root', 'root');
	const httpSection = fields(root.http, 'http', 'http');
	for (const [name, raw] of Object.entries(namedMap(httpSection.services, 'http.services'))) {
		const service = fields(raw, 'service', `services.${name}`);
		const balancer = fields(service.loadBalancer, 'loadBalancer', `services.${name}.loadBalancer`);
		const servers = (balancer.servers ?? []) as unknown[];
		if (!Array.isArray(servers)) throw new DecodeError(`cannot decode services.${name}.loadBalancer.servers`);
		const urls = servers.map((server, index) => {
			const decoded = fields(server, 'server', `services.${name}.servers[${index}]`);
			if (typeof decoded.url !== 'string') throw new DecodeError(`cannot decode url of services.${name}`);
			return decoded.url;
		});
		into.services.set(`${name}@file`, { servers: urls });
	}
	for (const [name, raw] of Object.entries(namedMap(httpSection.routers, 'http.routers'))) {
		const router = fields(raw, 'router', `routers.${name}`);
		if (router.tls !== undefined) fields(router.tls, 'routerTls', `routers.${name}.tls`);
		if (router.rule !== undefined && typeof router.rule !== 'string') {
			throw new DecodeError(`cannot decode routers.${name}.rule: expected a string`);
		}
		if (router.priority !== undefined && !Number.isInteger(router.priority)) {
			throw new DecodeError(`cannot decode routers.${name}.priority: expected an integer`);
		}
		into.routers.set(`${name}@file`, {
			rule: router.rule ?? '',
			service: typeof router.service === 'string' ? router.service : '',
			entryPoints: strings(router.entryPoints, `routers.${name}.entryPoints`),
			file,
		});
	}
}

/** The provider's configuration as Traefik would hold it now: everything, or nothing with the error it logs. */
export function loadTraefikDirectory(directory: string): Loaded {
	const loaded: Loaded = { routers: new Map(), services: new Map() };
	for (const name of readdirSync(directory).sort()) {
		const extension = path.extname(name).toLowerCase();
		if (!['.yml', '.yaml'].includes(extension)) continue; // .toml is loaded by Traefik; none are written here
		const text = readFileSync(path.join(directory, name), 'utf8');
		const document = parseDocument(text, { uniqueKeys: true });
		try {
			if (document.errors.length > 0) throw new DecodeError(`yaml: ${document.errors[0].message}`);
			decodeFile(name, document.toJS(), loaded);
		} catch (error) {
			if (!(error instanceof DecodeError)) throw error;
			// what Traefik does: the whole provider's configuration is dropped, not just this file's
			return {
				routers: new Map(),
				services: new Map(),
				error: `Error while building configuration (for the first time) providerName=file: ${path.join(directory, name)}: ${error.message}`,
			};
		}
	}
	return loaded;
}

export interface TraefikSimulator {
	apiUrl: string;
	directory: string;
	/** the error the file provider logged at the last load, if any */
	lastError(): string | undefined;
	close(): Promise<void>;
}

export async function startTraefikSimulator(directory: string): Promise<TraefikSimulator> {
	let lastError: string | undefined;
	const routerView = (name: string, router: SimRouter, loaded: Loaded) => {
		const serviceName = router.service.includes('@') ? router.service : `${router.service}@file`;
		const missing = !loaded.services.has(serviceName);
		return {
			entryPoints: router.entryPoints,
			service: router.service,
			rule: router.rule,
			name,
			provider: 'file',
			status: missing ? 'disabled' : 'enabled',
			...(missing ? { error: [`the service "${serviceName}" does not exist`] } : {}),
			using: router.entryPoints,
		};
	};
	const server = http.createServer((request, response) => {
		const send = (status: number, body: unknown) => {
			response.writeHead(status, { 'content-type': 'application/json' });
			response.end(JSON.stringify(body));
		};
		if (request.method !== 'GET') return send(405, { message: 'method not allowed' });
		const loaded = loadTraefikDirectory(directory);
		lastError = loaded.error;
		const url = new URL(request.url ?? '/', 'http://traefik');
		const routerMatch = /^\/api\/http\/routers(?:\/([^/]+))?$/.exec(url.pathname);
		if (routerMatch) {
			if (!routerMatch[1]) {
				return send(
					200,
					[...loaded.routers].map(([name, router]) => routerView(name, router, loaded)),
				);
			}
			const name = decodeURIComponent(routerMatch[1]);
			const router = loaded.routers.get(name);
			return router
				? send(200, routerView(name, router, loaded))
				: send(404, { message: `router not found: ${name}` });
		}
		const serviceMatch = /^\/api\/http\/services(?:\/([^/]+))?$/.exec(url.pathname);
		if (serviceMatch) {
			const views = [...loaded.services].map(([name, service]) => ({
				name,
				provider: 'file',
				status: 'enabled',
				loadBalancer: { servers: service.servers.map((serverUrl) => ({ url: serverUrl })) },
			}));
			if (!serviceMatch[1]) return send(200, views);
			const view = views.find((candidate) => candidate.name === decodeURIComponent(serviceMatch[1]));
			return view ? send(200, view) : send(404, { message: 'service not found' });
		}
		send(404, { message: '404 page not found' });
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		directory,
		lastError: () => lastError,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
