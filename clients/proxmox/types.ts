// Shapes of the Proxmox VE API answers the client uses (the `data` member of each response), from the API
// viewer (https://pve.proxmox.com/pve-docs/api-viewer/). Proxmox adds fields between releases, so every shape
// keeps the rest open.

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
