// A typed client for the Proxmox VE REST API (https://pve.proxmox.com/pve-docs/api-viewer/), shared by the n8n
// node and the backend, so it depends on nothing from n8n. It authenticates with an API token or a ticket
// login, form-encodes writes like the web UI does, turns every non-2xx answer into a ProxmoxApiError, and can
// wait for every task it starts (UPID) until it stops.
//
// It throws its own error classes (errors.ts) on purpose: the backend has no n8n, and the node's transport
// (nodes/ProxmoxVe/transport) turns them into NodeApiError / NodeOperationError with hints.

import { sleep } from '../../shared/timing';
import {
	ProxmoxApiError,
	ProxmoxCancelledError,
	ProxmoxInputError,
	ProxmoxTaskError,
	ProxmoxTimeoutError,
} from './errors';
import { nodeRequest, type HttpRequest, type RequestFunction } from './transport';
import type {
	GuestIpResult,
	Params,
	PveAgentInterface,
	PveClusterResource,
	PveNode,
	PveSnapshot,
	PveStorage,
	PveStorageContent,
	PveTaskListEntry,
	PveNodeTask,
	PveTaskLogLine,
	PveTaskStatus,
	PveVersion,
	PveVmConfig,
	PveVmListEntry,
	PveVmStatus,
	TaskProgress,
	TaskResult,
} from './types';
import {
	assertNodeName,
	assertPollInterval,
	assertSnapshotName,
	assertTokenSecret,
	assertVmid,
	backupGuestKind,
	parseSshKeys,
	parseTokenId,
	parseUpid,
} from './validation';

export type ProxmoxAuth =
	| { type: 'token'; tokenId: string; secret: string }
	| { type: 'password'; username: string; password: string; realm?: string };

export interface ProxmoxClientOptions {
	/** https://pve1.lab:8006 (a trailing /api2/json is accepted). */
	baseUrl: string;
	auth: ProxmoxAuth;
	/** Accept the self-signed certificate a fresh Proxmox install has. Default false. */
	allowSelfSigned?: boolean;
	/** Per HTTP request. Default 30 s. */
	requestTimeoutMs?: number;
	/** How often waitForTask / waitForGuestIp ask. Default 1000 ms. */
	pollIntervalMs?: number;
	/** Injected transport; default node:http(s). */
	request?: RequestFunction;
}

export interface WaitOptions {
	/** Give up after this long (the task keeps running on Proxmox). Default 10 minutes. */
	timeoutMs?: number;
	pollIntervalMs?: number;
	signal?: AbortSignal;
	onProgress?: (progress: TaskProgress) => void;
}

export interface GuestIpOptions {
	timeoutMs?: number;
	pollIntervalMs?: number;
	signal?: AbortSignal;
	family?: 'ipv4' | 'ipv6' | 'any';
	/** Only addresses of this interface (e.g. eth0, ens18). */
	interfaceName?: string;
	onProgress?: (message: string) => void;
}

/** QEMU VMs or LXC containers: the two guest types, as they appear in API paths. */
export type GuestKind = 'qemu' | 'lxc';

/** suspend/resume are pve-container's lxc-checkpoint (CRIU): suspend stops the CT after saving its state. */
export type ContainerPowerAction = 'start' | 'stop' | 'shutdown' | 'reboot' | 'suspend' | 'resume';

/** Restoring a vzdump archive as a VM (qmrestore) or a container (vzrestore). */
export interface RestoreOptions {
	vmid: number;
	/** The backup's volid, e.g. local:backup/vzdump-lxc-200-2025_01_31-02_00_00.tar.zst */
	archive: string;
	/** Storage for the restored disks (VM) or mount points (CT); default: as in the backup. */
	storage?: string;
	/** Replace an existing, stopped guest with this ID. */
	force?: boolean;
	/** New random MAC addresses. */
	unique?: boolean;
	start?: boolean;
}

export interface ContainerCreateOptions {
	vmid: number;
	/** A vztmpl volume, e.g. local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst */
	ostemplate: string;
	hostname?: string;
	password?: string;
	/** authorized_keys text; unlike VMs' cloud-init sshkeys, containers take it as plain text. */
	sshPublicKeys?: string;
	storage?: string;
	/** Root disk, e.g. local-lvm:8 (8 GiB). */
	rootfs?: string;
	cores?: number;
	memory?: number;
	swap?: number;
	net0?: string;
	nameserver?: string;
	searchdomain?: string;
	unprivileged?: boolean;
	onboot?: boolean;
	start?: boolean;
	description?: string;
	tags?: string;
}

export type VmPowerAction = 'start' | 'stop' | 'shutdown' | 'reboot' | 'suspend' | 'resume';

export interface CloneOptions {
	newid: number;
	name?: string;
	description?: string;
	/** Full copy (true) or linked clone (false; only from a template). Proxmox's default: full unless template. */
	full?: boolean;
	target?: string;
	storage?: string;
	format?: 'raw' | 'qcow2' | 'vmdk';
	pool?: string;
	snapname?: string;
	bwlimit?: number;
}

export interface VzdumpOptions {
	/** One VMID or several separated by commas (not with `all`). */
	vmid?: string;
	/** Every guest of the node (vzdump --all). */
	all?: boolean;
	storage?: string;
	mode?: 'snapshot' | 'suspend' | 'stop';
	compress?: '0' | '1' | 'gzip' | 'lzo' | 'zstd';
	'notes-template'?: string;
	remove?: boolean;
	protected?: boolean;
}

const DEFAULT_TASK_TIMEOUT_MS = 10 * 60 * 1000;
const LOG_TAIL_LINES = 10;

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

/** The archive volid of a restore, refused early when its name says it holds the other guest type. */
function checkArchive(raw: string, kind: GuestKind): string {
	const archive = (raw ?? '').trim();
	if (!archive) {
		throw new ProxmoxInputError(
			'archive is empty: pass the volid of a backup',
			'archive',
			'e.g. local:backup/vzdump-qemu-100-2025_01_31-02_00_00.vma.zst (Backup → List)',
		);
	}
	const holds = backupGuestKind(archive);
	if (holds && holds !== kind) {
		throw new ProxmoxInputError(
			`${archive} is a ${holds === 'qemu' ? 'VM' : 'container'} backup; it cannot be restored as a ${kind === 'qemu' ? 'VM' : 'container'}`,
			'archive',
			`Restore it as a ${holds === 'qemu' ? 'VM' : 'container'} (Guest Type), or pick a ${kind === 'qemu' ? 'vzdump-qemu' : 'vzdump-lxc'} archive`,
		);
	}
	return archive;
}

const seg = (value: string | number) => encodeURIComponent(String(value));

export class ProxmoxClient {
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

	// ---- Access / cluster ----------------------------------------------------------------------------------

	/** GET /version: any authenticated user or token may call it; the cheapest "are we logged in" check. */
	async version(): Promise<PveVersion> {
		return await this.get<PveVersion>('/version');
	}

	/** GET /access/permissions: the effective privileges per ACL path of the current user or token. */
	async permissions(): Promise<Record<string, Record<string, 0 | 1>>> {
		return await this.get('/access/permissions');
	}

	/** GET /cluster/nextid (Proxmox answers the id as a string). */
	async nextId(vmid?: number): Promise<number> {
		const id = await this.get<string | number>(
			'/cluster/nextid',
			vmid === undefined ? undefined : { vmid: assertVmid(vmid) },
		);
		return Number(id);
	}

	async clusterStatus(): Promise<Array<Record<string, unknown>>> {
		return await this.get('/cluster/status');
	}

	/** GET /cluster/resources, type one of vm, storage, node, sdn. */
	async clusterResources(type?: 'vm' | 'storage' | 'node' | 'sdn'): Promise<PveClusterResource[]> {
		return await this.get('/cluster/resources', { type });
	}

	async clusterTasks(): Promise<PveTaskListEntry[]> {
		return await this.get('/cluster/tasks');
	}

	/**
	 * GET /nodes/{node}/tasks: the node's tasks, newest first. `source` archive (default: finished tasks only),
	 * active or all; filters by vmid, type (typefilter, e.g. vztemplate), user and errors.
	 */
	async nodeTasks(
		node: string,
		params: {
			vmid?: number;
			typefilter?: string;
			userfilter?: string;
			source?: 'archive' | 'active' | 'all';
			errors?: boolean;
			since?: number;
			limit?: number;
			start?: number;
		} = {},
	): Promise<PveNodeTask[]> {
		return await this.get(`/nodes/${seg(assertNodeName(node))}/tasks`, {
			...params,
			vmid: params.vmid === undefined ? undefined : assertVmid(params.vmid),
		});
	}

	// ---- Nodes and storage ---------------------------------------------------------------------------------

	async nodes(): Promise<PveNode[]> {
		return await this.get('/nodes');
	}

	async nodeStatus(node: string): Promise<Record<string, unknown>> {
		return await this.get(`/nodes/${seg(assertNodeName(node))}/status`);
	}

	async storages(node: string, params: { content?: string; enabled?: boolean } = {}): Promise<PveStorage[]> {
		return await this.get(`/nodes/${seg(assertNodeName(node))}/storage`, params);
	}

	async storageContent(
		node: string,
		storage: string,
		params: { content?: string; vmid?: number } = {},
	): Promise<PveStorageContent[]> {
		if (!storage.trim())
			throw new ProxmoxInputError('storage is empty: name a storage such as local', 'storage');
		return await this.get(`/nodes/${seg(assertNodeName(node))}/storage/${seg(storage.trim())}/content`, {
			content: params.content,
			vmid: params.vmid === undefined ? undefined : assertVmid(params.vmid),
		});
	}

	// ---- QEMU VMs ------------------------------------------------------------------------------------------

	private vmPath(node: string, vmid: number | string, kind: GuestKind = 'qemu'): string {
		return `/nodes/${seg(assertNodeName(node))}/${kind}/${assertVmid(vmid)}`;
	}

	async vms(node: string): Promise<PveVmListEntry[]> {
		return await this.get(`/nodes/${seg(assertNodeName(node))}/qemu`);
	}

	async vmStatus(node: string, vmid: number | string): Promise<PveVmStatus> {
		return await this.get(`${this.vmPath(node, vmid)}/status/current`);
	}

	async vmConfig(node: string, vmid: number | string): Promise<PveVmConfig> {
		return await this.get(`${this.vmPath(node, vmid)}/config`);
	}

	/** POST /nodes/{node}/qemu/{vmid}/clone → UPID. */
	async cloneVm(node: string, vmid: number | string, options: CloneOptions): Promise<string> {
		return await this.post(`${this.vmPath(node, vmid)}/clone`, {
			...options,
			newid: assertVmid(options.newid, 'newid'),
			target: options.target ? assertNodeName(options.target, 'target') : undefined,
		} as Params);
	}

	/**
	 * POST /nodes/{node}/qemu/{vmid}/config (the asynchronous variant): answers a UPID when the change runs as a
	 * task (disk moves, hotplug) and null when it was applied at once. `delete` lists keys to remove.
	 */
	async updateVmConfig(node: string, vmid: number | string, params: Params): Promise<string | null> {
		return await this.post(`${this.vmPath(node, vmid)}/config`, params);
	}

	/** PUT /nodes/{node}/qemu/{vmid}/resize: grow a disk, size like "+10G" or "50G". */
	async resizeVmDisk(
		node: string,
		vmid: number | string,
		disk: string,
		size: string,
	): Promise<string | null> {
		return await this.put(`${this.vmPath(node, vmid)}/resize`, { disk, size });
	}

	/** POST /nodes/{node}/qemu/{vmid}/status/{action} → UPID. */
	async vmPower(
		node: string,
		vmid: number | string,
		action: VmPowerAction,
		params: Params = {},
	): Promise<string> {
		return await this.post(`${this.vmPath(node, vmid)}/status/${action}`, params);
	}

	/** DELETE /nodes/{node}/qemu/{vmid} → UPID. */
	async deleteVm(
		node: string,
		vmid: number | string,
		params: { purge?: boolean; 'destroy-unreferenced-disks'?: boolean } = {},
	): Promise<string> {
		return await this.delete(this.vmPath(node, vmid), params);
	}

	/** POST /nodes/{node}/qemu/{vmid}/template: turn a stopped VM into a template (a qmtemplate task). */
	async convertToTemplate(node: string, vmid: number | string): Promise<string | null> {
		return await this.post(`${this.vmPath(node, vmid)}/template`);
	}

	/** POST /nodes/{node}/qemu/{vmid}/migrate → UPID; a running VM needs online, local disks with-local-disks. */
	async migrateVm(
		node: string,
		vmid: number | string,
		options: { target: string; online?: boolean; 'with-local-disks'?: boolean; targetstorage?: string },
	): Promise<string> {
		return await this.post(`${this.vmPath(node, vmid)}/migrate`, {
			...options,
			target: assertNodeName(options.target, 'target'),
		});
	}

	/**
	 * POST /nodes/{node}/qemu → UPID (qmcreate): a new VM from parameters (name, cores, memory, scsi0 like
	 * "local-lvm:32", ide2 like "local:iso/x.iso,media=cdrom", net0, ostype, agent, start...).
	 */
	async createVm(node: string, vmid: number, params: Params): Promise<string> {
		if ('archive' in params) {
			throw new ProxmoxInputError('Use restoreVm to create a VM from a backup', 'archive');
		}
		return await this.post(`/nodes/${seg(assertNodeName(node))}/qemu`, { ...params, vmid: assertVmid(vmid) });
	}

	/** POST /nodes/{node}/qemu with archive=<backup volid> → UPID (qmrestore). */
	async restoreVm(node: string, options: RestoreOptions): Promise<string> {
		const archive = checkArchive(options.archive, 'qemu');
		return await this.post(`/nodes/${seg(assertNodeName(node))}/qemu`, {
			...options,
			vmid: assertVmid(options.vmid),
			archive,
		});
	}

	/** The QEMU VMs (not templates) of the cluster with exactly this name. */
	async findVmsByName(name: string): Promise<PveClusterResource[]> {
		const resources = await this.clusterResources('vm');
		return resources.filter((entry) => entry.type === 'qemu' && entry.template !== 1 && entry.name === name);
	}

	/** GET /nodes/{node}/qemu/{vmid}/agent/network-get-interfaces: 500 until the guest agent runs. */
	async agentNetworkInterfaces(node: string, vmid: number | string): Promise<PveAgentInterface[]> {
		const data = await this.get<{ result: PveAgentInterface[] }>(
			`${this.vmPath(node, vmid)}/agent/network-get-interfaces`,
		);
		return data.result ?? [];
	}

	// ---- Snapshots -----------------------------------------------------------------------------------------

	async snapshots(node: string, vmid: number | string, kind: GuestKind = 'qemu'): Promise<PveSnapshot[]> {
		return await this.get(`${this.vmPath(node, vmid, kind)}/snapshot`);
	}

	async createSnapshot(
		node: string,
		vmid: number | string,
		snapname: string,
		options: { description?: string; vmstate?: boolean; kind?: GuestKind } = {},
	): Promise<string> {
		const { kind, ...params } = options;
		return await this.post(`${this.vmPath(node, vmid, kind)}/snapshot`, {
			snapname: assertSnapshotName(snapname),
			...params,
		});
	}

	async rollbackSnapshot(
		node: string,
		vmid: number | string,
		snapname: string,
		options: { start?: boolean; kind?: GuestKind } = {},
	): Promise<string> {
		const { kind, ...params } = options;
		return await this.post(
			`${this.vmPath(node, vmid, kind)}/snapshot/${seg(assertSnapshotName(snapname))}/rollback`,
			params,
		);
	}

	async deleteSnapshot(
		node: string,
		vmid: number | string,
		snapname: string,
		options: { force?: boolean; kind?: GuestKind } = {},
	): Promise<string> {
		const { kind, ...params } = options;
		return await this.delete(
			`${this.vmPath(node, vmid, kind)}/snapshot/${seg(assertSnapshotName(snapname))}`,
			params,
		);
	}

	// ---- LXC containers ------------------------------------------------------------------------------------

	async containers(node: string): Promise<PveVmListEntry[]> {
		return await this.get(`/nodes/${seg(assertNodeName(node))}/lxc`);
	}

	async containerStatus(node: string, vmid: number | string): Promise<PveVmStatus> {
		return await this.get(`${this.vmPath(node, vmid, 'lxc')}/status/current`);
	}

	async containerConfig(node: string, vmid: number | string): Promise<PveVmConfig> {
		return await this.get(`${this.vmPath(node, vmid, 'lxc')}/config`);
	}

	/** POST /nodes/{node}/lxc → UPID (vzcreate). */
	async createContainer(node: string, options: ContainerCreateOptions): Promise<string> {
		const { sshPublicKeys, ...rest } = options;
		if (!options.ostemplate?.trim()) {
			throw new ProxmoxInputError(
				'ostemplate is empty: pass a container template volume',
				'ostemplate',
				'e.g. local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst (Node → List Storage Content, Container Templates)',
			);
		}
		return await this.post(`/nodes/${seg(assertNodeName(node))}/lxc`, {
			...rest,
			vmid: assertVmid(options.vmid),
			ostemplate: options.ostemplate.trim(),
			'ssh-public-keys': sshPublicKeys ? parseSshKeys(sshPublicKeys).join('\n') : undefined,
		} as Params);
	}

	/** POST /nodes/{node}/lxc/{vmid}/clone → UPID (vzclone). */
	async cloneContainer(
		node: string,
		vmid: number | string,
		options: {
			newid: number;
			hostname?: string;
			description?: string;
			full?: boolean;
			target?: string;
			storage?: string;
			pool?: string;
		},
	): Promise<string> {
		return await this.post(`${this.vmPath(node, vmid, 'lxc')}/clone`, {
			...options,
			newid: assertVmid(options.newid, 'newid'),
			target: options.target ? assertNodeName(options.target, 'target') : undefined,
		} as Params);
	}

	/** PUT /nodes/{node}/lxc/{vmid}/config (synchronous, answers null). */
	async updateContainerConfig(node: string, vmid: number | string, params: Params): Promise<null> {
		return await this.put(`${this.vmPath(node, vmid, 'lxc')}/config`, params);
	}

	/** POST /nodes/{node}/lxc/{vmid}/status/{action} → UPID. */
	async containerPower(
		node: string,
		vmid: number | string,
		action: ContainerPowerAction,
		params: Params = {},
	): Promise<string> {
		return await this.post(`${this.vmPath(node, vmid, 'lxc')}/status/${action}`, params);
	}

	/** DELETE /nodes/{node}/lxc/{vmid} → UPID (vzdestroy). */
	async deleteContainer(
		node: string,
		vmid: number | string,
		params: { purge?: boolean; force?: boolean } = {},
	): Promise<string> {
		return await this.delete(this.vmPath(node, vmid, 'lxc'), params);
	}

	/**
	 * POST /nodes/{node}/lxc with ostemplate=<backup volid> and restore=1 → UPID (vzrestore): pve-container's
	 * create_vm restores when `restore` is set, reading the container's config from the archive.
	 */
	async restoreContainer(node: string, options: RestoreOptions): Promise<string> {
		const { archive: raw, ...rest } = options;
		const archive = checkArchive(raw, 'lxc');
		return await this.post(`/nodes/${seg(assertNodeName(node))}/lxc`, {
			...rest,
			vmid: assertVmid(options.vmid),
			ostemplate: archive,
			restore: true,
		});
	}

	/**
	 * POST /nodes/{node}/lxc/{vmid}/migrate → UPID (vzmigrate). Containers have no live migration: a running
	 * one moves only with `restart` (shut down, moved, started on the target; `timeout` for the shutdown).
	 */
	async migrateContainer(
		node: string,
		vmid: number | string,
		options: {
			target: string;
			restart?: boolean;
			timeout?: number;
			'target-storage'?: string;
			bwlimit?: number;
		},
	): Promise<string> {
		return await this.post(`${this.vmPath(node, vmid, 'lxc')}/migrate`, {
			...options,
			target: assertNodeName(options.target, 'target'),
		});
	}

	/**
	 * POST /nodes/{node}/lxc/{vmid}/template. Unlike the VM call, pve-container answers null although it forks a
	 * "vztemplate" task; that task is found in the node's task list (the one that was not there before the call)
	 * so it can be waited for like any other. Resolves with its UPID, or null when it cannot be found.
	 */
	async convertContainerToTemplate(node: string, vmid: number | string): Promise<string | null> {
		const id = assertVmid(vmid);
		const list = async () =>
			(await this.nodeTasks(node, { vmid: id, typefilter: 'vztemplate', source: 'all', limit: 100 })).map(
				(task) => task.upid,
			);
		const before = new Set(await list());
		await this.post(`${this.vmPath(node, id, 'lxc')}/template`);
		for (let attempt = 0; attempt < 5; attempt++) {
			const found = (await list()).find((upid) => !before.has(upid));
			if (found) return found;
			await sleep(200);
		}
		return null;
	}

	/** GET /nodes/{node}/lxc/{vmid}/interfaces: addresses as the host sees them (no agent needed). */
	async containerInterfaces(
		node: string,
		vmid: number | string,
	): Promise<Array<{ name: string; hwaddr?: string; inet?: string; inet6?: string }>> {
		return await this.get(`${this.vmPath(node, vmid, 'lxc')}/interfaces`);
	}

	// ---- Backups -------------------------------------------------------------------------------------------

	/** POST /nodes/{node}/vzdump → UPID. */
	async vzdump(node: string, options: VzdumpOptions): Promise<string> {
		if (options.all) {
			return await this.post(`/nodes/${seg(assertNodeName(node))}/vzdump`, {
				...options,
				vmid: undefined,
				all: true,
			} as Params);
		}
		const ids = String(options.vmid ?? '')
			.split(/[\s,;]+/)
			.filter(Boolean)
			.map((id) => assertVmid(id));
		if (ids.length === 0) throw new ProxmoxInputError('No VM ID given to back up', 'vmid');
		return await this.post(`/nodes/${seg(assertNodeName(node))}/vzdump`, {
			...options,
			vmid: ids.join(','),
		} as Params);
	}

	// ---- Tasks ---------------------------------------------------------------------------------------------

	private taskPath(node: string | undefined, upid: string): string {
		const parsed = parseUpid(upid);
		return `/nodes/${seg(node ? assertNodeName(node) : parsed.node)}/tasks/${seg(upid.trim())}`;
	}

	/** GET /nodes/{node}/tasks/{upid}/status; node defaults to the one in the UPID. */
	async taskStatus(upid: string, node?: string): Promise<PveTaskStatus> {
		return await this.get(`${this.taskPath(node, upid)}/status`);
	}

	/** GET /nodes/{node}/tasks/{upid}/log (lines from `start`, at most `limit`). */
	async taskLog(
		upid: string,
		options: { node?: string; start?: number; limit?: number } = {},
	): Promise<PveTaskLogLine[]> {
		return await this.get(`${this.taskPath(options.node, upid)}/log`, {
			start: options.start,
			limit: options.limit,
		});
	}

	/**
	 * Polls a task until it stops. Resolves with its final status when the exit status is OK (or "WARNINGS: n");
	 * rejects with ProxmoxTaskError (exit status + last log lines) otherwise, ProxmoxTimeoutError after
	 * `timeoutMs`, ProxmoxCancelledError when `signal` aborts. The task itself is never stopped by this.
	 */
	async waitForTask(upid: string, options: WaitOptions & { node?: string } = {}): Promise<TaskResult> {
		const parsed = parseUpid(upid);
		const node = options.node ?? parsed.node;
		const timeoutMs = options.timeoutMs ?? DEFAULT_TASK_TIMEOUT_MS;
		const interval = assertPollInterval(options.pollIntervalMs ?? this.pollIntervalMs);
		const started = Date.now();
		let logStart = 0;
		let lastLine = '';
		for (;;) {
			if (options.signal?.aborted) {
				throw new ProxmoxCancelledError(
					`Stopped waiting for task ${upid}; it keeps running on ${node}`,
					upid,
				);
			}
			const status = await this.taskStatus(upid, node);
			if (options.onProgress) {
				const lines = await this.taskLog(upid, { node, start: logStart, limit: 500 }).catch(() => []);
				logStart += lines.length;
				const newLogLines = lines.map((line) => line.t).filter((text) => text !== 'no content');
				if (newLogLines.length) lastLine = newLogLines[newLogLines.length - 1];
				options.onProgress({ upid, status: status.status, elapsedMs: Date.now() - started, newLogLines });
			}
			if (status.status === 'stopped') {
				const exitstatus = status.exitstatus ?? 'unknown';
				if (exitstatus === 'OK' || exitstatus.startsWith('WARNINGS')) {
					const now = Date.now();
					return {
						upid,
						node,
						type: parsed.type,
						id: parsed.id,
						user: parsed.user,
						status: 'stopped',
						exitstatus,
						startedAt: new Date(parsed.starttime * 1000).toISOString(),
						durationMs: Math.max(0, now - parsed.starttime * 1000),
						waitedMs: now - started,
					};
				}
				const log = await this.taskLog(upid, { node, start: 0, limit: 5000 }).catch(() => []);
				const tail = log
					.map((line) => line.t)
					.filter((text) => text !== 'no content')
					.slice(-LOG_TAIL_LINES);
				throw new ProxmoxTaskError(
					`Task ${parsed.type}${parsed.id ? ` ${parsed.id}` : ''} on ${node} failed: ${exitstatus}`,
					upid,
					exitstatus,
					tail,
				);
			}
			const elapsed = Date.now() - started;
			if (elapsed >= timeoutMs) {
				throw new ProxmoxTimeoutError(
					`Task ${parsed.type}${parsed.id ? ` ${parsed.id}` : ''} on ${node} still running after ${Math.round(elapsed / 1000)} s${lastLine ? ` (last log line: ${lastLine})` : ''}`,
					upid,
				);
			}
			await sleep(Math.min(interval, Math.max(1, timeoutMs - elapsed)), options.signal).catch(
				() => undefined,
			);
		}
	}

	/**
	 * Waits until the QEMU guest agent reports an address. Proxmox answers 500 ("QEMU guest agent is not
	 * running") while the guest boots, and the agent may answer before DHCP gave an address: both mean wait.
	 */
	async waitForGuestIp(
		node: string,
		vmid: number | string,
		options: GuestIpOptions = {},
	): Promise<GuestIpResult> {
		const timeoutMs = options.timeoutMs ?? 5 * 60 * 1000;
		const interval = assertPollInterval(options.pollIntervalMs ?? this.pollIntervalMs);
		const family = options.family ?? 'ipv4';
		const started = Date.now();
		let lastReason = 'no answer yet';
		for (;;) {
			if (options.signal?.aborted)
				throw new ProxmoxCancelledError(`Stopped waiting for the guest agent of VM ${vmid}`);
			try {
				const interfaces = await this.agentNetworkInterfaces(node, vmid);
				const ips = interfaces
					.filter((entry) => !options.interfaceName || entry.name === options.interfaceName)
					.flatMap((entry) =>
						(entry['ip-addresses'] ?? []).map((address) => ({
							interface: entry.name,
							address: address['ip-address'],
							family: address['ip-address-type'],
							prefix: address.prefix,
						})),
					)
					.filter((address) => family === 'any' || address.family === family)
					.filter((address) => !/^(127\.|169\.254\.|::1$|fe80:)/i.test(address.address));
				if (ips.length > 0) {
					return { ip: ips[0].address, ips, interfaces, waitedMs: Date.now() - started };
				}
				lastReason = 'the guest agent answers but reports no address yet';
			} catch (error) {
				if (!(error instanceof ProxmoxApiError) || error.status !== 500) throw error;
				const reason = error.details.reason ?? error.message;
				if (
					/No (QEMU )?guest agent configured/i.test(reason) ||
					(/is not running/i.test(reason) && !/agent/i.test(reason))
				) {
					throw error;
				}
				lastReason = reason;
			}
			options.onProgress?.(`VM ${vmid}: ${lastReason}`);
			const elapsed = Date.now() - started;
			if (elapsed >= timeoutMs) {
				throw new ProxmoxTimeoutError(
					`VM ${vmid} reported no IP address within ${Math.round(timeoutMs / 1000)} s (${lastReason})`,
				);
			}
			await sleep(Math.min(interval, Math.max(1, timeoutMs - elapsed)), options.signal).catch(
				() => undefined,
			);
		}
	}
}
