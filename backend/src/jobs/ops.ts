/**
 * What the jobs need from the service clients. Small on purpose: clients/proxmox and clients/docker (and a
 * Synology client) satisfy these with thin adapters, so wiring them in is a few lines in services.ts.
 * Anything a step creates is tagged with the step's idempotency key so its `check` can find it after a crash.
 */

export interface ProxmoxTask {
	node: string;
	upid: string;
}

export interface BackupArchive {
	volid: string;
	vmid: number;
	/** seconds since the epoch */
	ctime: number;
	size: number;
	notes?: string;
}

export interface ProxmoxOps {
	/** GET /cluster/nextid */
	nextVmid(): Promise<number>;
	/** the guest's config, or undefined when no guest has this VMID on `node` */
	vmConfig(node: string, vmid: number): Promise<Record<string, string | number> | undefined>;
	/** POST /nodes/{node}/qemu/{vmid}/clone; `description` carries the idempotency key */
	cloneVm(args: {
		node: string;
		templateVmid: number;
		newVmid: number;
		name: string;
		description: string;
		full: boolean;
		storage?: string;
	}): Promise<ProxmoxTask>;
	/** waits for a task to stop; throws with its exit status unless OK */
	waitTask(task: ProxmoxTask, signal: AbortSignal): Promise<void>;
	/** PUT /nodes/{node}/qemu/{vmid}/config (cloud-init: ciuser, sshkeys, ipconfig0, ...) */
	setVmConfig(node: string, vmid: number, config: Record<string, string | number>): Promise<void>;
	/** PUT /nodes/{node}/qemu/{vmid}/resize, size absolute like "32G" */
	resizeDisk(node: string, vmid: number, disk: string, size: string): Promise<void>;
	/** current size of a disk in bytes (to skip a resize already done) */
	diskSizeBytes(node: string, vmid: number, disk: string): Promise<number | undefined>;
	vmStatus(node: string, vmid: number): Promise<'running' | 'stopped' | 'paused'>;
	startVm(node: string, vmid: number): Promise<ProxmoxTask>;
	stopVm(node: string, vmid: number): Promise<ProxmoxTask>;
	destroyVm(node: string, vmid: number): Promise<ProxmoxTask>;
	/** IPv4 addresses the QEMU guest agent reports (empty until the agent answers) */
	guestIpv4(node: string, vmid: number): Promise<string[]>;
	/** POST /nodes/{node}/vzdump for one guest; `notes` carries the idempotency key */
	vzdump(args: {
		node: string;
		vmid: number;
		storage: string;
		mode: string;
		notes: string;
	}): Promise<ProxmoxTask>;
	/** tasks still running on a node of a type (vzdump, qmclone, ...) for a guest: GET /nodes/{node}/tasks?source=active */
	activeTasks(node: string, type: string, vmid: number): Promise<ProxmoxTask[]>;
	/** backup archives on a storage (content=backup), optionally of one guest */
	listBackups(node: string, storage: string, vmid?: number): Promise<BackupArchive[]>;
	deleteBackup(node: string, storage: string, volid: string): Promise<void>;
	/** GET /nodes/{node}/vzdump/extractconfig: the guest config inside an archive; an unreadable one is permanent */
	archiveConfig(node: string, volid: string): Promise<string>;
	/**
	 * POST /nodes/{node}/qemu with archive= (restore into a new VMID); `description` overrides the restored
	 * config's (qemu-server applies non-disk options given with a restore, PVE 7.2+) to carry the idempotency key
	 */
	restoreVm(args: {
		node: string;
		vmid: number;
		archive: string;
		storage?: string;
		description?: string;
	}): Promise<ProxmoxTask>;
}

export interface ComposeServiceState {
	service: string;
	state: string;
	health?: string;
}

export interface DockerOps {
	/** writes the project's compose file (and .env) on the host; returns its content hash */
	writeProject(host: string, project: string, compose: string, env?: Record<string, string>): Promise<string>;
	/** the content hash of the project's compose file on the host, if any */
	projectHash(host: string, project: string): Promise<string | undefined>;
	pull(host: string, project: string, signal: AbortSignal): Promise<void>;
	build(host: string, project: string, signal: AbortSignal): Promise<void>;
	up(host: string, project: string, signal: AbortSignal): Promise<void>;
	services(host: string, project: string): Promise<ComposeServiceState[]>;
	/** why `host` names no Docker engine this backend may reach (checked at submit), or undefined */
	hostProblem?(host: string): string | undefined;
}

export interface SynologyOps {
	/** starts a Hyper Backup task and waits for it; returns its last result */
	runHyperBackup(taskId: number, signal: AbortSignal): Promise<{ result: string; finishedAt: string }>;
}

/** What the job steps get as `ctx.services`. A missing one fails the job with words saying what to configure. */
export interface JobServices {
	proxmox?: ProxmoxOps;
	docker?: DockerOps;
	synology?: SynologyOps;
}
