import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

import { parseDocument, stringify } from 'yaml';

import { describeError } from '../../shared/errors';
import { sleep } from '../../shared/timing';
import { writeFileAtomic } from './atomic-file';
import { parseUpstream } from './caddy';
import { requestJson } from './http-json';
import { validateTraefikDynamicConfig } from './traefik-schema';
import {
	EdgeError,
	isValidHostname,
	normalizeName,
	type ChangeResult,
	type EdgeRoute,
	type RouteProvider,
} from './types';

// Traefik through its file provider (doc.traefik.io/traefik/providers/file/): one YAML file per service,
// `homelab-<hostname>.yml`, in the directory Traefik watches (`providers.file.directory`, `watch: true`). A file
// is ours only when its first line is the marker below; any other file (or a router in one) is the user's and is
// never changed. Each file is validated against the schema subset in traefik-schema.ts BEFORE it is written and
// written atomically (atomic-file.ts), since a single invalid file makes Traefik drop every file-provider route
// (traefik#8921/#10890). When Traefik's read-only API is configured (`api` enabled; GET /api/http/routers,
// doc.traefik.io/traefik/operations/api/), an upsert waits until Traefik reports the router enabled, and puts
// the previous file back when it does not.

export const TRAEFIK_FILE_MARKER = '# managed-by: n8n-nodes-homelab (rewritten on every apply; do not edit)';
export const TRAEFIK_FILE_PREFIX = 'homelab-';

export interface TraefikConnection {
	/** the directory Traefik's file provider watches */
	directory: string;
	/** entry points the routers listen on; Traefik's usual HTTPS one is "websecure" */
	entryPoints?: string[];
	/** tls.certResolver of each router (a resolver from Traefik's static config); without it Traefik's default certificate store serves */
	certResolver?: string;
	/** Traefik's API, e.g. http://127.0.0.1:8080: when set, upsert and remove wait until Traefik has applied the file */
	apiUrl?: string;
	/** how long to wait for Traefik to load a file (its watcher usually needs well under a second) */
	confirmTimeoutMs?: number;
	timeoutMs?: number;
}

/** What became of the file in Traefik: confirmed through its API, not checked (and why), or nothing changed. */
export type TraefikConfirmation =
	| 'loaded'
	| 'removed'
	| 'api-not-configured'
	| 'api-unreachable'
	| 'nothing-to-check';

export interface TraefikChangeResult extends ChangeResult {
	file: string;
	confirmation: TraefikConfirmation;
}

interface RouterStatus {
	name?: string;
	status?: string;
	error?: string[];
	provider?: string;
}

/** The router (and service) name for a hostname: `homelab-<hostname>`; Traefik shows it as `<name>@file`. */
export const traefikRouterName = (hostname: string) => TRAEFIK_FILE_PREFIX + normalizeName(hostname);

const HOST_MATCHER = /Host\(([^)]*)\)/g;

/** The host names a rule matches with Host(`a`, `b`) (other matchers are ignored). */
export function hostsInRule(rule: string): string[] {
	const hosts: string[] = [];
	for (const match of rule.matchAll(HOST_MATCHER)) {
		for (const quoted of match[1].matchAll(/`([^`]*)`/g)) hosts.push(normalizeName(quoted[1]));
	}
	return hosts;
}

interface LoadedFile {
	name: string;
	text: string;
	owned: boolean;
	document: unknown;
	parseError?: string;
}

export class TraefikRouteProvider implements RouteProvider {
	readonly description: string;

	constructor(private readonly connection: TraefikConnection) {
		this.description = `Traefik file provider in ${connection.directory}`;
	}

	async list(): Promise<EdgeRoute[]> {
		const routes: EdgeRoute[] = [];
		for (const file of await this.loadFiles()) {
			if (!file.owned) continue;
			const route = ownedRoute(file);
			if (route) routes.push(route);
		}
		return routes;
	}

	async upsert(route: EdgeRoute): Promise<TraefikChangeResult> {
		const hostname = normalizeName(route.hostname);
		if (!isValidHostname(hostname)) throw new EdgeError('invalid', `invalid hostname "${route.hostname}"`);
		const { tls } = parseUpstream(route.upstream);
		const upstream = new URL(route.upstream);
		const name = traefikRouterName(hostname);
		const fileName = `${name}.yml`;
		const document = {
			http: {
				routers: {
					[name]: {
						rule: `Host(\`${hostname}\`)`,
						service: name,
						entryPoints: this.connection.entryPoints ?? ['websecure'],
						tls: this.connection.certResolver ? { certResolver: this.connection.certResolver } : {},
					},
				},
				services: {
					[name]: {
						loadBalancer: {
							servers: [{ url: `${tls ? 'https' : 'http'}://${upstream.host}` }],
							passHostHeader: true,
						},
					},
				},
			},
		};
		const problems = validateTraefikDynamicConfig(document);
		if (problems.length > 0) {
			throw new EdgeError(
				'invalid',
				`${this.description}: refusing to write ${fileName}, Traefik would reject it (and drop every file route): ${problems.join('; ')}`,
			);
		}
		const text = `${TRAEFIK_FILE_MARKER}\n${stringify(document)}`;
		const files = await this.loadFiles();
		const current = files.find((file) => file.name === fileName);
		if (current && !current.owned) {
			throw new EdgeError(
				'conflict',
				`${this.description}: ${fileName} exists but was not written by this node (no marker line); rename or remove it`,
			);
		}
		const foreign = files.find((file) => !file.owned && routerHosts(file.document).includes(hostname));
		if (foreign) {
			throw new EdgeError(
				'conflict',
				`${this.description}: ${hostname} is already routed by ${foreign.name}, a file this node does not manage; remove it there or choose another hostname`,
			);
		}
		const target = path.join(this.connection.directory, fileName);
		if (current?.text === text) {
			return { changed: false, file: target, confirmation: await this.confirmLoaded(name, fileName) };
		}
		await this.write(target, text, fileName);
		try {
			return { changed: true, file: target, confirmation: await this.confirmLoaded(name, fileName) };
		} catch (error) {
			// Traefik did not take the file: put back what was there, so no half-applied route is left behind
			if (current) await this.write(target, current.text, fileName);
			else await rm(target, { force: true });
			throw error;
		}
	}

	async remove(hostname: string): Promise<TraefikChangeResult> {
		const name = traefikRouterName(hostname);
		const fileName = `${name}.yml`;
		const target = path.join(this.connection.directory, fileName);
		const file = (await this.loadFiles()).find((candidate) => candidate.name === fileName);
		if (!file?.owned) return { changed: false, file: target, confirmation: 'nothing-to-check' };
		await rm(target, { force: true });
		return { changed: true, file: target, confirmation: await this.confirmRemoved(name) };
	}

	/** Every YAML file in the directory that Traefik would refuse, with the reasons (foreign files included). */
	async invalidFiles(): Promise<{ file: string; problems: string[] }[]> {
		return (await this.loadFiles())
			.map((file) => ({
				file: file.name,
				problems: file.parseError ? [file.parseError] : validateTraefikDynamicConfig(file.document),
			}))
			.filter((entry) => entry.problems.length > 0);
	}

	private async write(target: string, text: string, fileName: string): Promise<void> {
		try {
			await writeFileAtomic(target, text);
		} catch (error) {
			throw new EdgeError(
				'provider',
				`${this.description}: cannot write ${fileName}: ${describeError(error)}`,
			);
		}
	}

	private async loadFiles(): Promise<LoadedFile[]> {
		let names: string[];
		try {
			names = await readdir(this.connection.directory);
		} catch (error) {
			throw new EdgeError(
				'unreachable',
				`${this.description}: cannot read the directory: ${describeError(error)}`,
			);
		}
		const files: LoadedFile[] = [];
		for (const name of names.filter((entry) => /\.ya?ml$/i.test(entry) && !entry.startsWith('.')).sort()) {
			let text: string;
			try {
				text = await readFile(path.join(this.connection.directory, name), 'utf8');
			} catch {
				continue; // removed between readdir and read
			}
			const parsed = parseDocument(text, { uniqueKeys: true });
			files.push({
				name,
				text,
				owned: text.startsWith(`${TRAEFIK_FILE_MARKER}\n`),
				document: parsed.errors.length === 0 ? (parsed.toJS() as unknown) : undefined,
				parseError: parsed.errors.length > 0 ? `YAML: ${parsed.errors[0].message}` : undefined,
			});
		}
		return files;
	}

	private async routerStatus(name: string): Promise<RouterStatus | undefined | 'unreachable'> {
		const apiUrl = this.connection.apiUrl;
		if (!apiUrl) return 'unreachable';
		try {
			const response = await requestJson(
				`Traefik API at ${new URL(apiUrl).origin}`,
				new URL(`/api/http/routers/${encodeURIComponent(`${name}@file`)}`, apiUrl),
				'GET',
				undefined,
				{},
				this.connection.timeoutMs,
			);
			if (response.status === 404) return undefined;
			if (response.status !== 200) return 'unreachable';
			return response.body as RouterStatus;
		} catch {
			return 'unreachable';
		}
	}

	private async confirmLoaded(name: string, fileName: string): Promise<TraefikConfirmation> {
		if (!this.connection.apiUrl) return 'api-not-configured';
		const deadline = Date.now() + (this.connection.confirmTimeoutMs ?? 10000);
		let last: RouterStatus | undefined;
		for (;;) {
			const status = await this.routerStatus(name);
			if (status === 'unreachable') return 'api-unreachable';
			if (status?.status === 'enabled') return 'loaded';
			last = status;
			if (Date.now() >= deadline) break;
			await sleep(200);
		}
		const why = last?.error?.length
			? `Traefik reports: ${last.error.join('; ')}`
			: await this.explainMissingRouter(fileName);
		throw new EdgeError(
			'provider',
			`${this.description}: Traefik at ${this.connection.apiUrl} did not load router ${name}@file from ${fileName}: ${why}`,
		);
	}

	private async explainMissingRouter(fileName: string): Promise<string> {
		const broken = (await this.invalidFiles()).filter((entry) => entry.file !== fileName);
		if (broken.length === 0)
			return 'it is not listed (is the directory the one Traefik watches, with watch: true?)';
		return (
			'it is not listed, and Traefik drops ALL file configuration while any file is invalid: ' +
			broken.map((entry) => `${entry.file}: ${entry.problems.join('; ')}`).join(' | ')
		);
	}

	private async confirmRemoved(name: string): Promise<TraefikConfirmation> {
		if (!this.connection.apiUrl) return 'api-not-configured';
		const deadline = Date.now() + (this.connection.confirmTimeoutMs ?? 10000);
		for (;;) {
			const status = await this.routerStatus(name);
			if (status === 'unreachable') return 'api-unreachable';
			if (status === undefined) return 'removed';
			if (Date.now() >= deadline) {
				throw new EdgeError(
					'provider',
					`${this.description}: the file is gone but Traefik at ${this.connection.apiUrl} still serves router ${name}@file`,
				);
			}
			await sleep(200);
		}
	}
}

function routerHosts(document: unknown): string[] {
	const routers = (document as { http?: { routers?: Record<string, { rule?: unknown }> } } | undefined)?.http
		?.routers;
	if (!routers || typeof routers !== 'object') return [];
	return Object.values(routers).flatMap((router) =>
		typeof router?.rule === 'string' ? hostsInRule(router.rule) : [],
	);
}

function ownedRoute(file: LoadedFile): EdgeRoute | undefined {
	const http = (file.document as { http?: Record<string, Record<string, unknown>> } | undefined)?.http;
	const name = file.name.replace(/\.ya?ml$/i, '');
	const router = http?.routers?.[name] as { rule?: string } | undefined;
	const service = http?.services?.[name] as { loadBalancer?: { servers?: { url?: string }[] } } | undefined;
	const hostname = router?.rule ? hostsInRule(router.rule)[0] : undefined;
	const url = service?.loadBalancer?.servers?.[0]?.url;
	if (!hostname || !url) return undefined;
	return { hostname, upstream: url };
}
