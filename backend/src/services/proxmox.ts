// ProxmoxOps (what the provision-vm and backup-run steps need) on the shared Proxmox VE client in clients/proxmox.
// Thin on purpose: each method is one or two client calls; the only logic here is turning Proxmox's answers into
// the small shapes the steps use and deciding which failures retrying cannot fix.
import {
	assertNodeName,
	assertVmid,
	ProxmoxApiError,
	ProxmoxClient,
	ProxmoxInputError,
	ProxmoxTaskError,
	type PveVmStatus,
	type RestoreOptions,
} from '../../../clients/proxmox';
import { PermanentError } from '../engine/types';
import type { BackupArchive, ProxmoxOps, ProxmoxTask } from '../jobs/ops';

export interface ProxmoxServiceConfig {
	/** https://pve1.lab:8006 */
	baseUrl: string;
	/** USER@REALM!TOKENID */
	tokenId: string;
	tokenSecret: string;
	/** false accepts Proxmox's self-signed certificate (a fresh install has one) */
	rejectUnauthorized?: boolean;
	/** how often a task or the guest agent is asked (default 1000 ms) */
	pollIntervalMs?: number;
	/** per HTTP request (default 30 s) */
	requestTimeoutMs?: number;
}

const seg = (value: string | number) => encodeURIComponent(String(value));
const vmPath = (node: string, vmid: number) => `/nodes/${seg(assertNodeName(node))}/qemu/${assertVmid(vmid)}`;
const UNITS = ' KMGT';

/** "size=32G" in a disk line like "local-lvm:vm-105-disk-0,size=32G" → bytes */
function diskBytes(line: string): number | undefined {
	const match = /(?:^|,)size=(\d+(?:\.\d+)?)([KMGT])?(?:,|$)/.exec(line);
	if (!match) return undefined;
	return Math.round(Number(match[1]) * 1024 ** Math.max(0, UNITS.indexOf(match[2] ?? ' ')));
}

/** Proxmox's answer when a guest's config file is absent (no such VM on that node). */
const isMissingGuest = (error: unknown) =>
	error instanceof ProxmoxApiError && error.status === 500 && /does not exist/i.test(error.message);

/**
 * Failures retrying cannot fix become PermanentError (the job fails at once, saying why); the rest (5xx, lost
 * connections, task failures such as a lock held by another task) are retried by the engine with backoff.
 */
function classify(error: unknown): never {
	if (error instanceof ProxmoxInputError) throw new PermanentError(`Proxmox VE: ${error.message}`);
	if (error instanceof ProxmoxApiError) {
		const { status, method, path } = error.details;
		const message = `Proxmox VE ${method} ${path}: ${error.message}${status ? ` (HTTP ${status})` : ''}`;
		if (status === 401)
			throw new PermanentError(
				`${message} (check services.proxmox.tokenId / tokenSecret in the backend config)`,
			);
		if (status === 400 || status === 403 || status === 501) throw new PermanentError(message);
		throw new Error(message);
	}
	if (error instanceof ProxmoxTaskError) {
		// the exit status alone ("job errors") does not say why; the task log's ERROR lines do
		const why = error.logTail.filter((line) => /error/i.test(line) && !/^TASK ERROR/.test(line));
		const message = `Proxmox VE: ${error.message}${why.length ? ` (${why.join('; ')})` : ''}. ${error.hint}`;
		// a template or a taken VMID fails the same way on every retry: fail the job now, saying what to change
		throw error.retryable ? new Error(message) : new PermanentError(message);
	}
	throw error;
}

async function guard<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		return classify(error);
	}
}

/**
 * The restore's options; a description (and onboot off: a copy must not start with the host) go along as
 * config overrides, which the client's restoreVm passes through to the POST.
 */
function restoreOptions(args: Parameters<ProxmoxOps['restoreVm']>[0]): RestoreOptions {
	const options: RestoreOptions & { description?: string; onboot?: number } = {
		vmid: args.vmid,
		archive: args.archive,
		storage: args.storage,
		...(args.description ? { description: args.description, onboot: 0 } : {}),
	};
	return options;
}

export function createProxmoxOps(config: ProxmoxServiceConfig, client?: ProxmoxClient): ProxmoxOps {
	const pve =
		client ??
		new ProxmoxClient({
			baseUrl: config.baseUrl,
			auth: { type: 'token', tokenId: config.tokenId, secret: config.tokenSecret },
			allowSelfSigned: config.rejectUnauthorized === false,
			pollIntervalMs: config.pollIntervalMs,
			requestTimeoutMs: config.requestTimeoutMs,
		});
	/** a write that answers a UPID when it runs as a task (PVE 8 resize, content delete) and null otherwise */
	const settle = async (upid: unknown, signal?: AbortSignal) => {
		if (typeof upid === 'string' && upid.startsWith('UPID:'))
			await pve.waitForTask(upid, { signal, timeoutMs: 3_600_000 });
	};
	const task = (node: string) => (upid: string) => ({ node, upid });

	const ops: ProxmoxOps = {
		nextVmid: () => guard(() => pve.nextId()),

		vmConfig: (node, vmid) =>
			guard(async () => {
				try {
					const config = await pve.vmConfig(node, vmid);
					return Object.fromEntries(
						Object.entries(config).filter((entry): entry is [string, string | number] => entry[1] != null),
					);
				} catch (error) {
					if (isMissingGuest(error)) return undefined;
					throw error;
				}
			}),

		cloneVm: (args) =>
			guard(async () =>
				task(args.node)(
					await pve.cloneVm(args.node, args.templateVmid, {
						newid: args.newVmid,
						name: args.name,
						description: args.description,
						full: args.full,
						storage: args.full ? args.storage : undefined,
					}),
				),
			),

		waitTask: (running: ProxmoxTask, signal) =>
			guard(async () => {
				// the step's own timeout bounds the wait; this one only has to be longer than any step's
				await pve.waitForTask(running.upid, { node: running.node, signal, timeoutMs: 24 * 3_600_000 });
			}),

		setVmConfig: (node, vmid, config) =>
			guard(async () => {
				// PUT is the synchronous variant: the cloud-init keys are applied when it answers
				await pve.put(`${vmPath(node, vmid)}/config`, config);
			}),

		resizeDisk: (node, vmid, disk, size) =>
			guard(async () => settle(await pve.resizeVmDisk(node, vmid, disk, size))),

		diskSizeBytes: (node, vmid, disk) =>
			guard(async () => {
				const line = (await pve.vmConfig(node, vmid))[disk];
				return line === undefined ? undefined : diskBytes(String(line));
			}),

		vmStatus: (node, vmid) =>
			guard(async () => {
				const status: PveVmStatus = await pve.vmStatus(node, vmid);
				if (status.status === 'running') return status.qmpstatus === 'paused' ? 'paused' : 'running';
				return 'stopped';
			}),

		startVm: (node, vmid) => guard(async () => task(node)(await pve.vmPower(node, vmid, 'start'))),
		stopVm: (node, vmid) => guard(async () => task(node)(await pve.vmPower(node, vmid, 'stop'))),
		destroyVm: (node, vmid) =>
			guard(async () =>
				task(node)(await pve.deleteVm(node, vmid, { purge: true, 'destroy-unreferenced-disks': true })),
			),

		guestIpv4: (node, vmid) =>
			guard(async () =>
				(await pve.agentNetworkInterfaces(node, vmid))
					.flatMap((entry) => entry['ip-addresses'] ?? [])
					.filter((address) => address['ip-address-type'] === 'ipv4')
					.map((address) => address['ip-address']),
			),

		vzdump: (args) =>
			guard(async () =>
				task(args.node)(
					await pve.vzdump(args.node, {
						vmid: String(args.vmid),
						storage: args.storage,
						mode: args.mode as 'snapshot' | 'suspend' | 'stop',
						// vzdump writes the archive's notes from this template; the idempotency key has no {{ }}
						'notes-template': args.notes,
					}),
				),
			),

		activeTasks: (node, type, vmid) =>
			guard(async () => {
				const tasks = await pve.nodeTasks(node, { source: 'active', typefilter: type, vmid });
				return tasks
					.filter((entry) => entry.type === type && (entry.id ?? '') === String(vmid))
					.map((entry) => ({ node: entry.node ?? node, upid: entry.upid }));
			}),

		listBackups: (node, storage, vmid) =>
			guard(async () =>
				(await pve.storageContent(node, storage, { content: 'backup', vmid }))
					.filter((volume) => volume.content === 'backup')
					.map(
						(volume): BackupArchive => ({
							volid: volume.volid,
							vmid: Number(volume.vmid),
							ctime: Number(volume.ctime ?? 0),
							size: Number(volume.size ?? 0),
							...(volume.notes ? { notes: volume.notes } : {}),
						}),
					),
			),

		deleteBackup: (node, storage, volid) =>
			guard(async () =>
				settle(
					await pve.delete(
						`/nodes/${seg(assertNodeName(node))}/storage/${seg(storage)}/content/${seg(volid)}`,
					),
				),
			),

		archiveConfig: (node, volid) =>
			guard(async () => {
				try {
					const text = await pve.get<unknown>(`/nodes/${seg(assertNodeName(node))}/vzdump/extractconfig`, {
						volume: volid,
					});
					return typeof text === 'string' ? text : '';
				} catch (error) {
					// 500 is Proxmox failing to read the archive (its decompressor's complaint): the same every time
					if (error instanceof ProxmoxApiError && error.details.status === 500)
						throw new PermanentError(`archive ${volid} cannot be read: ${error.message}`);
					throw error;
				}
			}),

		restoreVm: (args) =>
			guard(async () => task(args.node)(await pve.restoreVm(args.node, restoreOptions(args)))),
	};
	return ops;
}
