// Shapes of the Proxmox VE API answers the client uses (the `data` member of each response), from the API
// viewer (https://pve.proxmox.com/pve-docs/api-viewer/). Proxmox adds fields between releases, so every shape
// keeps the rest open. Below them, the options the client's methods take.

import type { RequestFunction } from './transport';

export type Params = Record<string, string | number | boolean | undefined | null>;

export interface PveVersion {
	version: string;
	release: string;
	repoid: string;
	[key: string]: unknown;
}

export interface PveClusterResource {
	id: string;
	/** qemu, lxc, node, storage, pool, sdn */
	type: string;
	node?: string;
	vmid?: number;
	name?: string;
	status?: string;
	template?: 0 | 1;
	storage?: string;
	[key: string]: unknown;
}

export interface PveNode {
	node: string;
	/** online, offline, unknown */
	status: string;
	[key: string]: unknown;
}

export interface PveStorage {
	storage: string;
	type: string;
	content: string;
	active?: 0 | 1;
	enabled?: 0 | 1;
	[key: string]: unknown;
}

export interface PveStorageContent {
	volid: string;
	content: string;
	format: string;
	size: number;
	ctime?: number;
	vmid?: number;
	subtype?: string;
	notes?: string;
	[key: string]: unknown;
}

export interface PveVmListEntry {
	vmid: number;
	name?: string;
	/** running, stopped */
	status: string;
	template?: 0 | 1;
	[key: string]: unknown;
}

export interface PveVmStatus {
	vmid: number;
	/** running, stopped */
	status: string;
	qmpstatus?: string;
	name?: string;
	lock?: string;
	uptime?: number;
	agent?: 0 | 1;
	template?: 0 | 1;
	[key: string]: unknown;
}

export type PveVmConfig = Record<string, string | number | undefined> & { digest?: string };

export interface PveSnapshot {
	name: string;
	description?: string;
	snaptime?: number;
	vmstate?: 0 | 1;
	parent?: string;
	running?: 0 | 1;
	[key: string]: unknown;
}

export interface PveTaskStatus {
	upid: string;
	node: string;
	status: 'running' | 'stopped';
	exitstatus?: string;
	type: string;
	id?: string;
	user: string;
	starttime: number;
	pid?: number;
	[key: string]: unknown;
}

export interface PveTaskListEntry {
	upid: string;
	node: string;
	type: string;
	id?: string;
	user: string;
	starttime: number;
	endtime?: number;
	status?: string;
	[key: string]: unknown;
}

/** An entry of GET /nodes/{node}/tasks (endtime and status only once the task stopped): same shape as the cluster's. */
export type PveNodeTask = PveTaskListEntry;

export interface PveTaskLogLine {
	/** Line number, from 1. */
	n: number;
	t: string;
}

export interface PveAgentInterface {
	name: string;
	'hardware-address'?: string;
	'ip-addresses'?: Array<{ 'ip-address': string; 'ip-address-type': 'ipv4' | 'ipv6'; prefix: number }>;
	[key: string]: unknown;
}

/** What waitForTask returns for a task that stopped with OK (or WARNINGS). */
export interface TaskResult {
	upid: string;
	node: string;
	type: string;
	id: string;
	user: string;
	status: 'stopped';
	exitstatus: string;
	startedAt: string;
	/** From the task's start (as the UPID says) to when it was seen stopped. */
	durationMs: number;
	/** How long this client waited. */
	waitedMs: number;
}

export interface TaskProgress {
	upid: string;
	status: 'running' | 'stopped';
	elapsedMs: number;
	/** Log lines that appeared since the last report (e.g. "transferred 2.0 GiB of 32.0 GiB (6.25%)"). */
	newLogLines: string[];
}

export interface GuestIpResult {
	/** The first address that is neither loopback nor link-local, in the order the agent lists interfaces. */
	ip: string;
	ips: Array<{ interface: string; address: string; family: 'ipv4' | 'ipv6'; prefix: number }>;
	interfaces: PveAgentInterface[];
	waitedMs: number;
}

// ---- Client options ---------------------------------------------------------------------------------

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
