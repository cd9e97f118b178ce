// A Proxmox VE API simulator for tests, built from the API viewer (https://pve.proxmox.com/pve-docs/api-viewer/)
// and the behaviour of pve-manager / qemu-server / pve-http-server it documents:
// - HTTPS with a self-signed certificate (a fresh PVE install has one), everything under /api2/json, answers
//   as {"data": ...}; errors put the message in the HTTP reason phrase and, like PVE 8, in "message";
//   a 400 "Parameter verification failed." carries "errors" per parameter (pve-common JSONSchema.pm).
// - Auth: "Authorization: PVEAPIToken=USER@REALM!TOKENID=SECRET", or POST /access/ticket giving a ticket used as
//   cookie PVEAuthCookie, writes then need the CSRFPreventionToken header. 401 for a bad token/ticket, 403
//   "Permission check failed (<path>, <privilege>)" when the user or (privilege-separated) token lacks it.
// - Writes that take time return a UPID; the task runs (status "running") and stops with exitstatus "OK" or
//   the error, which is also the last log line ("TASK ERROR: ..."), as GET /nodes/{node}/tasks/{upid}/status
//   and /log show. Locks ("VM 101 is locked (clone)") guard VMs during clone, snapshot, rollback and backup.
// - The guest agent (GET .../agent/network-get-interfaces) answers 500 "QEMU guest agent is not running" until
//   the VM has booted (bootMs after start).
// Tests use `counters` (clones and vzdumps started, also per guest, and on GET /__simulator/counters) and
// `failNextTask` to inject task failures.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

import { selfSignedCertificate } from '../../helpers/tls';
import { archiveConfigText, isDriveKey, unreadableArchive } from './archive';
import {
	addressList,
	boolean,
	configId,
	dnsName,
	enumeration,
	integer,
	ipConfig,
	isTrue,
	nodeName,
	optional,
	pattern,
	required,
	storageId,
	string,
	urlencoded,
	verify,
	vmid as vmidCheck,
	vmidList,
	type ParamSpec,
} from './schema';

export interface SimSnapshot {
	name: string;
	description: string;
	snaptime: number;
	vmstate: 0 | 1;
	parent?: string;
	config: Record<string, string | number>;
	status: 'running' | 'stopped';
}

export interface SimVm {
	/** qemu (VM) or lxc (container, "CT"). */
	kind: 'qemu' | 'lxc';
	vmid: number;
	node: string;
	status: 'running' | 'stopped';
	template: boolean;
	config: Record<string, string | number>;
	lock?: string;
	/** Suspended (status stays "running", qmpstatus "paused"). */
	paused?: boolean;
	/** A container suspended with lxc-checkpoint: stopped, its state saved for resume. */
	checkpoint?: boolean;
	/** Epoch ms from which the guest agent answers. */
	bootedAt?: number;
	startedAt?: number;
	snapshots: Map<string, SimSnapshot>;
	parent?: string;
}

export interface SimTask {
	upid: string;
	node: string;
	type: string;
	id: string;
	user: string;
	starttime: number;
	endtime?: number;
	pid: number;
	pstart: number;
	status: 'running' | 'stopped';
	exitstatus?: string;
	log: string[];
}

export interface SimBackup {
	volid: string;
	node: string;
	storage: string;
	vmid: number;
	ctime: number;
	size: number;
	format: string;
	notes?: string;
	kind: 'qemu' | 'lxc';
	/** The guest's config at backup time, what a restore brings back. */
	config: Record<string, string | number>;
	/** Damaged (see corruptNextArchive): extractconfig and restores fail reading it. */
	corrupt?: boolean;
}

interface Identity {
	/** USER@REALM or USER@REALM!TOKEN */
	name: string;
	privileges: Set<string> | 'all';
}

export interface ProxmoxSimulatorOptions {
	/** Duration of ordinary tasks (start, stop, config, snapshot...). Default 300 ms. */
	taskMs?: number;
	/** Duration of a clone. Default 1000 ms. */
	cloneMs?: number;
	/** Duration of a vzdump. Default 800 ms. */
	vzdumpMs?: number;
	/** From start until the guest agent answers. Default 1000 ms. */
	bootMs?: number;
}

export const ROOT_PASSWORD = 'Homelab-Root-1';
const AUDIT_PRIVILEGES = ['Sys.Audit', 'VM.Audit', 'Datastore.Audit'];

export class SimError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly errors?: Record<string, string>,
	) {
		super(message);
	}
}

const fail = (status: number, message: string, errors?: Record<string, string>): never => {
	throw new SimError(status, message, errors);
};

type Handler = (context: {
	params: Record<string, string>;
	path: Record<string, string>;
	who: Identity;
}) => unknown;

interface Route {
	method: string;
	regex: RegExp;
	names: string[];
	spec: Record<string, ParamSpec>;
	handler: Handler;
}

function omit<T extends object>(value: T, ...keys: string[]): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key))) as Partial<T>;
}

const hex8 = (value: number) => value.toString(16).toUpperCase().padStart(8, '0');

export class ProxmoxSimulator {
	url = '';
	readonly nodes = ['pve1', 'pve2', 'pve3'];
	readonly vms = new Map<number, SimVm>();
	readonly tasks: SimTask[] = [];
	readonly backups: SimBackup[] = [];
	readonly counters = { clone: 0, vzdump: 0, restore: 0, backupDelete: 0, requests: 0 };
	/** clones and vzdumps started per guest (new VMID / backed-up VMID): a duplicate shows as a count above 1 */
	readonly perGuest = { clone: new Map<number, number>(), vzdump: new Map<number, number>() };
	/** Token secrets: the full-privilege token, a privilege-separated token without ACLs, a read-only token. */
	readonly tokens = {
		admin: { id: 'root@pam!n8n', secret: randomUUID() },
		noPrivileges: { id: 'root@pam!privsep', secret: randomUUID() },
		auditor: { id: 'auditor@pve!readonly', secret: randomUUID() },
	};
	/** Requests as seen (method, path, params), for tests that check the wire format. */
	readonly requests: Array<{
		method: string;
		path: string;
		params: Record<string, string>;
		rawBody: string;
	}> = [];
	private readonly identities = new Map<string, { secret: string; identity: Identity }>();
	private readonly tickets = new Map<string, { identity: Identity; csrf: string }>();
	private readonly routes: Route[] = [];
	private readonly failures = new Map<string, string>();
	private corruptNext = false;
	private readonly timers = new Set<NodeJS.Timeout>();
	private server?: https.Server;
	private nextPid = 4000;
	readonly options: Required<ProxmoxSimulatorOptions>;

	constructor(options: ProxmoxSimulatorOptions = {}) {
		this.options = { taskMs: 300, cloneMs: 1000, vzdumpMs: 800, bootMs: 1000, ...options };
		this.identities.set(this.tokens.admin.id, {
			secret: this.tokens.admin.secret,
			identity: { name: this.tokens.admin.id, privileges: 'all' },
		});
		this.identities.set(this.tokens.noPrivileges.id, {
			secret: this.tokens.noPrivileges.secret,
			identity: { name: this.tokens.noPrivileges.id, privileges: new Set() },
		});
		this.identities.set(this.tokens.auditor.id, {
			secret: this.tokens.auditor.secret,
			identity: { name: this.tokens.auditor.id, privileges: new Set(AUDIT_PRIVILEGES) },
		});
		this.addVm({ vmid: 9000, node: 'pve1', template: true, name: 'ubuntu-2404-cloud', agent: '1' });
		this.addVm({ vmid: 100, node: 'pve1', name: 'dns', status: 'running', agent: '1' });
		this.addVm({ vmid: 101, node: 'pve2', name: 'media', agent: '0' });
		this.addVm({ kind: 'lxc', vmid: 200, node: 'pve1', name: 'pihole', status: 'running' });
		this.defineRoutes();
	}

	/** Puts a VM into the cluster (state the test needs). */
	addVm(spec: {
		kind?: 'qemu' | 'lxc';
		vmid: number;
		node: string;
		name: string;
		template?: boolean;
		status?: 'running' | 'stopped';
		agent?: string;
	}): SimVm {
		const vm: SimVm = {
			kind: spec.kind ?? 'qemu',
			vmid: spec.vmid,
			node: spec.node,
			status: spec.status ?? 'stopped',
			template: spec.template ?? false,
			config: {
				name: spec.name,
				cores: 2,
				memory: '2048',
				sockets: 1,
				ostype: 'l26',
				scsihw: 'virtio-scsi-single',
				scsi0: `local-lvm:base-${spec.vmid}-disk-0,size=8G`,
				ide2: `local-lvm:vm-${spec.vmid}-cloudinit,media=cdrom`,
				net0: `virtio=BC:24:11:${hex8(spec.vmid).slice(2, 4)}:${hex8(spec.vmid).slice(4, 6)}:${hex8(spec.vmid).slice(6, 8)},bridge=vmbr0`,
				agent: spec.agent ?? '1',
				boot: 'order=scsi0',
				...(spec.template ? { template: 1 } : {}),
			},
			snapshots: new Map(),
		};
		if (vm.kind === 'lxc') {
			vm.config = {
				hostname: spec.name,
				arch: 'amd64',
				ostype: 'debian',
				cores: 1,
				memory: 512,
				swap: 512,
				rootfs: `local-lvm:vm-${spec.vmid}-disk-0,size=8G`,
				net0: `name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:${hex8(spec.vmid).slice(4, 6)}:${hex8(spec.vmid).slice(6, 8)},ip=dhcp,type=veth`,
				unprivileged: 1,
				...(spec.template ? { template: 1 } : {}),
			};
		}
		if (vm.status === 'running') vm.bootedAt = vm.startedAt = Date.now();
		this.vms.set(vm.vmid, vm);
		return vm;
	}

	/** The counters and per-guest clone/vzdump counts as plain JSON. */
	countersSnapshot() {
		return {
			...this.counters,
			clonesPerGuest: Object.fromEntries(this.perGuest.clone),
			vzdumpsPerGuest: Object.fromEntries(this.perGuest.vzdump),
		};
	}

	/** The next archive a vzdump writes is damaged: the task succeeds, but reading the archive fails later. */
	corruptNextArchive(): void {
		this.corruptNext = true;
	}

	/** The next task of this type (qmclone, qmstart, vzdump, ...) stops with `message` instead of OK. */
	failNextTask(type: string, message: string): void {
		this.failures.set(type, message);
	}

	async start(): Promise<string> {
		const { key, cert } = selfSignedCertificate('localhost');
		this.server = https.createServer({ key, cert }, (request, response) => {
			const chunks: Buffer[] = [];
			request.on('data', (chunk: Buffer) => chunks.push(chunk));
			request.on('end', () => this.handle(request, response, Buffer.concat(chunks).toString('utf8')));
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this.url;
	}

	async stop(): Promise<void> {
		for (const timer of this.timers) clearTimeout(timer);
		this.server?.closeAllConnections();
		await new Promise((resolve) => this.server?.close(resolve));
	}

	// ---- HTTP ----------------------------------------------------------------------------------------------

	private reply(response: ServerResponse, status: number, reason: string, body: unknown) {
		const text = JSON.stringify(body);
		// PVE writes the error into the reason phrase; it must be one line of visible characters.
		response.writeHead(status, reason.replace(/[\r\n]+/g, ' ').trim(), {
			'content-type': 'application/json;charset=UTF-8',
			'content-length': Buffer.byteLength(text),
		});
		response.end(text);
	}

	private handle(request: IncomingMessage, response: ServerResponse, rawBody: string) {
		this.counters.requests++;
		const url = new URL(request.url ?? '/', 'https://localhost');
		const method = request.method ?? 'GET';
		const params: Record<string, string> = {};
		url.searchParams.forEach((value, key) => (params[key] = value));
		if (rawBody) {
			const type = String(request.headers['content-type'] ?? '');
			if (type.includes('application/json')) {
				for (const [key, value] of Object.entries(JSON.parse(rawBody) as Record<string, unknown>))
					params[key] = String(value);
			} else {
				new URLSearchParams(rawBody).forEach((value, key) => (params[key] = value));
			}
		}
		// Test-only, outside the API (a real PVE answers 501 here): the counters, for a test that runs the
		// simulator in another process or checks them over HTTP. Needs the admin token like any API call.
		if (method === 'GET' && url.pathname === '/__simulator/counters') {
			try {
				this.authenticate(request, method);
				return this.reply(response, 200, 'OK', { data: this.countersSnapshot() });
			} catch (error) {
				if (error instanceof SimError)
					return this.reply(response, error.status, error.message, { data: null });
				throw error;
			}
		}
		try {
			if (!url.pathname.startsWith('/api2/json/'))
				fail(501, `Method '${method} ${url.pathname}' not implemented`);
			const path = url.pathname.slice('/api2/json'.length).replace(/\/$/, '');
			this.requests.push({ method, path, params, rawBody });
			if (method === 'POST' && path === '/access/ticket') {
				return this.reply(response, 200, 'OK', { data: this.login(params) });
			}
			const who = this.authenticate(request, method);
			const matching = this.routes.filter((route) => route.regex.test(path));
			const route = matching.find((candidate) => candidate.method === method);
			if (!route) fail(501, `Method '${method} ${path}' not implemented`);
			const match = route!.regex.exec(path)!;
			const pathParams: Record<string, string> = {};
			route!.names.forEach((name, index) => (pathParams[name] = decodeURIComponent(match[index + 1])));
			const errors = verify({ ...params, ...pathParams }, { ...route!.spec, ...this.pathSpec(route!.names) });
			if (Object.keys(errors).length > 0) fail(400, 'Parameter verification failed.', errors);
			const data = route!.handler({ params, path: pathParams, who });
			this.reply(response, 200, 'OK', { data: data ?? null });
		} catch (error) {
			if (error instanceof SimError) {
				const body: Record<string, unknown> = { data: null, message: `${error.message}\n` };
				if (error.errors) body.errors = error.errors;
				this.reply(response, error.status, error.message, body);
			} else {
				const message = error instanceof Error ? error.message : String(error);
				this.reply(response, 500, message, { data: null, message });
			}
		}
	}

	private pathSpec(names: string[]): Record<string, ParamSpec> {
		const spec: Record<string, ParamSpec> = {};
		for (const name of names) {
			spec[name] = required(
				name === 'node'
					? nodeName
					: name === 'vmid'
						? vmidCheck
						: name === 'storage'
							? storageId
							: name === 'snapname'
								? configId
								: string(),
			);
		}
		return spec;
	}

	/** POST /access/ticket: username (with @realm or a separate realm), password → ticket + CSRF token. */
	private login(params: Record<string, string>) {
		const errors = verify(params, {
			username: required(string(64)),
			password: required(string(1024)),
			realm: optional(string(32)),
			otp: optional(string()),
			'new-format': optional(boolean),
		});
		if (Object.keys(errors).length > 0) fail(400, 'Parameter verification failed.', errors);
		const user = params.username.includes('@')
			? params.username
			: `${params.username}@${params.realm ?? 'pam'}`;
		if (user !== 'root@pam' || params.password !== ROOT_PASSWORD) fail(401, 'authentication failure');
		const ticket = `PVE:${user}:${hex8(Math.floor(Date.now() / 1000))}::${randomBytes(48).toString('base64')}`;
		const csrf = `${hex8(Math.floor(Date.now() / 1000))}:${randomBytes(20).toString('base64').replace(/=+$/, '')}`;
		this.tickets.set(ticket, { identity: { name: user, privileges: 'all' }, csrf });
		return { ticket, CSRFPreventionToken: csrf, username: user, cap: {} };
	}

	private authenticate(request: IncomingMessage, method: string): Identity {
		const header = request.headers.authorization;
		if (header) {
			const match = /^PVEAPIToken=([^=\s]+)=(\S+)$/.exec(header);
			if (!match) fail(401, 'invalid token value!');
			const entry = this.identities.get(match![1]);
			if (!entry || entry.secret !== match![2]) fail(401, 'invalid token value!');
			return entry!.identity;
		}
		const cookie = /(?:^|;\s*)PVEAuthCookie=([^;]+)/.exec(String(request.headers.cookie ?? ''));
		if (!cookie) fail(401, 'No ticket');
		const session = this.tickets.get(decodeURIComponent(cookie![1]));
		if (!session) fail(401, 'invalid PVE ticket');
		if (method !== 'GET' && request.headers.csrfpreventiontoken !== session!.csrf) {
			fail(401, 'Permission denied - invalid csrf token');
		}
		return session!.identity;
	}

	private can(who: Identity, privilege: string): boolean {
		return who.privileges === 'all' || who.privileges.has(privilege);
	}

	/** rpcenv->check: 403 "Permission check failed (<path>, <privilege>)". */
	private need(who: Identity, path: string, privilege: string): void {
		if (!this.can(who, privilege)) fail(403, `Permission check failed (${path}, ${privilege})`);
	}

	private route(method: string, template: string, spec: Record<string, ParamSpec>, handler: Handler) {
		const names: string[] = [];
		const regex = new RegExp(
			`^${template.replace(/\{(\w+)\}/g, (_all, name: string) => {
				names.push(name);
				return '([^/]+)';
			})}$`,
		);
		this.routes.push({ method, regex, names, spec, handler });
	}

	// ---- State helpers -------------------------------------------------------------------------------------

	private node(name: string): string {
		if (!this.nodes.includes(name)) {
			fail(
				500,
				`hostname lookup '${name}' failed - failed to get address info for: ${name}: Name or service not known`,
			);
		}
		return name;
	}

	/** The guest's config on that node, as qemu-server's / pve-container's load_config finds it. */
	private vm(node: string, vmid: string | number, kind: 'qemu' | 'lxc' = 'qemu'): SimVm {
		this.node(node);
		const vm = this.vms.get(Number(vmid));
		if (!vm || vm.node !== node || vm.kind !== kind)
			fail(
				500,
				`Configuration file 'nodes/${node}/${kind === 'qemu' ? 'qemu-server' : 'lxc'}/${vmid}.conf' does not exist`,
			);
		return vm!;
	}

	/** PVE::AbstractConfig::check_lock: "VM 100 is locked (clone)" / "CT 200 is locked (backup)". */
	private checkLock(vm: SimVm): void {
		if (vm.lock) fail(500, `${vm.kind === 'qemu' ? 'VM' : 'CT'} ${vm.vmid} is locked (${vm.lock})`);
	}

	/**
	 * Starts a task: status "running" now, after `ms` the work runs; a thrown error (or an injected failure)
	 * stops it with that error as exitstatus and "TASK ERROR: ..." as the last log line.
	 */
	private task(
		who: Identity,
		node: string,
		type: string,
		id: string,
		ms: number,
		work: (log: (line: string) => void) => void,
		progress?: (log: (line: string) => void, fraction: number) => void,
	): string {
		const starttime = Math.floor(Date.now() / 1000);
		const pid = this.nextPid++;
		const pstart = 1000000 + pid;
		const user = who.name.split('!')[0];
		const upid = `UPID:${node}:${hex8(pid)}:${hex8(pstart)}:${hex8(starttime)}:${type}:${id}:${who.name.includes('!') ? who.name : user}:`;
		const task: SimTask = {
			upid,
			node,
			type,
			id,
			user: who.name,
			starttime,
			pid,
			pstart,
			status: 'running',
			log: [],
		};
		this.tasks.push(task);
		const log = (line: string) => task.log.push(line);
		if (progress) {
			for (const fraction of [0.25, 0.5, 0.75]) {
				const timer = setTimeout(() => {
					this.timers.delete(timer);
					if (task.status === 'running') progress(log, fraction);
				}, ms * fraction);
				this.timers.add(timer);
			}
		}
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			const injected = this.failures.get(type);
			this.failures.delete(type);
			try {
				if (injected) throw new Error(injected);
				work(log);
				task.exitstatus = 'OK';
				log('TASK OK');
			} catch (error) {
				const message = error instanceof Error ? error.message : String(error);
				task.exitstatus = message;
				log(`TASK ERROR: ${message}`);
			}
			task.status = 'stopped';
			task.endtime = Math.floor(Date.now() / 1000);
		}, ms);
		this.timers.add(timer);
		return upid;
	}

	private findTask(node: string, upid: string): SimTask {
		this.node(node);
		const task = this.tasks.find((entry) => entry.upid === upid && entry.node === node);
		if (!task) fail(500, `unable to parse worker upid '${upid}'`);
		return task!;
	}

	private vmResource(vm: SimVm) {
		return {
			id: `${vm.kind}/${vm.vmid}`,
			type: vm.kind,
			node: vm.node,
			vmid: vm.vmid,
			name: String(vm.config.name ?? vm.config.hostname ?? `VM ${vm.vmid}`),
			status: vm.status,
			template: vm.template ? 1 : 0,
			maxmem: Number(String(vm.config.memory ?? '2048').replace(/\D/g, '')) * 1024 * 1024,
			maxcpu: Number(vm.config.cores ?? 1),
			uptime: vm.status === 'running' && vm.startedAt ? Math.floor((Date.now() - vm.startedAt) / 1000) : 0,
			tags: vm.config.tags ?? '',
			...(vm.lock ? { lock: vm.lock } : {}),
		};
	}

	private storages(node: string) {
		return [
			{
				storage: 'local',
				type: 'dir',
				content: 'iso,vztmpl,backup',
				shared: 0,
				active: 1,
				enabled: 1,
				total: 100 * 2 ** 30,
				used: 20 * 2 ** 30,
				avail: 80 * 2 ** 30,
				node,
			},
			{
				storage: 'local-lvm',
				type: 'lvmthin',
				content: 'images,rootdir',
				shared: 0,
				active: 1,
				enabled: 1,
				total: 400 * 2 ** 30,
				used: 50 * 2 ** 30,
				avail: 350 * 2 ** 30,
				node,
			},
		];
	}

	private guestIp(vm: SimVm): string {
		const match = /ip=([\d.]+)\//.exec(String(vm.config.ipconfig0 ?? ''));
		return match ? match[1] : `192.168.100.${(vm.vmid % 200) + 20}`;
	}

	// ---- Routes --------------------------------------------------------------------------------------------

	private defineRoutes(): void {
		const vmConfigSpec: Record<string, ParamSpec> = {
			name: optional(dnsName),
			description: optional(string(8192)),
			tags: optional(pattern(/^[a-z0-9_+.\-;, ]*$/i, 'invalid tag list')),
			cores: optional(integer(1, 1024)),
			sockets: optional(integer(1, 4)),
			memory: optional(
				pattern(/^(current=)?\d+$/, 'invalid format - value does not look like a valid memory size'),
			),
			balloon: optional(integer(0)),
			cpu: optional(string()),
			onboot: optional(boolean),
			agent: optional(string()),
			boot: optional(string()),
			ciuser: optional(string()),
			cipassword: optional(string()),
			citype: optional(enumeration('configdrive2', 'nocloud', 'opennebula')),
			sshkeys: optional(urlencoded),
			ciupgrade: optional(boolean),
			cicustom: optional(string()),
			nameserver: optional(addressList),
			searchdomain: optional(string()),
			// qemu-server: $MAX_NETS = 32, so net0..net31 and ipconfig0..ipconfig31.
			'ipconfig[n]': optional(ipConfig, { maxIndex: 32 }),
			'net[n]': optional(string(), { maxIndex: 32 }),
			delete: optional(string()),
			digest: optional(string(64)),
			skiplock: optional(boolean),
		};

		// GET /version — any authenticated user.
		this.route('GET', '/version', {}, () => ({ version: '8.4.1', release: '8.4', repoid: 'c3f8d5d0' }));

		// GET /access/permissions — the caller's effective privileges per ACL path.
		this.route(
			'GET',
			'/access/permissions',
			{ path: optional(string()), userid: optional(string()) },
			({ who }) => {
				const privileges =
					who.privileges === 'all'
						? [
								'Sys.Audit',
								'VM.Allocate',
								'VM.Audit',
								'VM.Clone',
								'VM.Config.Cloudinit',
								'VM.PowerMgmt',
								'VM.Snapshot',
								'VM.Backup',
								'Datastore.Audit',
								'Datastore.AllocateSpace',
							]
						: [...who.privileges];
				return privileges.length
					? { '/': Object.fromEntries(privileges.map((privilege) => [privilege, 1])) }
					: {};
			},
		);

		// GET /cluster/nextid — "Get next free VMID"; with vmid: 400 if it is taken.
		this.route('GET', '/cluster/nextid', { vmid: optional(vmidCheck) }, ({ params }) => {
			if (params.vmid) {
				if (this.vms.has(Number(params.vmid)))
					fail(400, 'Parameter verification failed.', { vmid: `VM ${params.vmid} already exists` });
				return params.vmid;
			}
			let id = 100;
			while (this.vms.has(id)) id++;
			return String(id);
		});

		// GET /cluster/status — Sys.Audit.
		this.route('GET', '/cluster/status', {}, ({ who }) => {
			this.need(who, '/', 'Sys.Audit');
			return [
				{ type: 'cluster', id: 'cluster', name: 'homelab', nodes: this.nodes.length, quorate: 1, version: 3 },
				...this.nodes.map((node, index) => ({
					type: 'node',
					id: `node/${node}`,
					name: node,
					nodeid: index + 1,
					online: 1,
					local: index === 0 ? 1 : 0,
					ip: `192.168.1.${11 + index}`,
				})),
			];
		});

		// GET /cluster/resources — type: vm | storage | node | sdn; entries the caller cannot audit are left out.
		this.route(
			'GET',
			'/cluster/resources',
			{ type: optional(enumeration('vm', 'storage', 'node', 'sdn')) },
			({ params, who }) => {
				const list: Array<Record<string, unknown>> = [];
				if (!params.type || params.type === 'node') {
					if (this.can(who, 'Sys.Audit'))
						for (const node of this.nodes)
							list.push({
								id: `node/${node}`,
								type: 'node',
								node,
								status: 'online',
								maxcpu: 8,
								maxmem: 32 * 2 ** 30,
							});
				}
				if (!params.type || params.type === 'vm') {
					if (this.can(who, 'VM.Audit'))
						for (const vm of [...this.vms.values()].sort((a, b) => a.vmid - b.vmid))
							list.push(this.vmResource(vm));
				}
				if (!params.type || params.type === 'storage') {
					if (this.can(who, 'Datastore.Audit'))
						for (const node of this.nodes)
							for (const storage of this.storages(node))
								list.push({
									id: `storage/${node}/${storage.storage}`,
									type: 'storage',
									node,
									storage: storage.storage,
									status: 'available',
									plugintype: storage.type,
									content: storage.content,
								});
				}
				return list;
			},
		);

		// GET /cluster/tasks — recent tasks of the cluster.
		this.route('GET', '/cluster/tasks', {}, () =>
			[...this.tasks].reverse().map((task) => ({
				upid: task.upid,
				node: task.node,
				type: task.type,
				id: task.id,
				user: task.user,
				starttime: task.starttime,
				...(task.endtime ? { endtime: task.endtime, status: task.exitstatus } : {}),
			})),
		);

		// GET /nodes — every member; stats only with Sys.Audit.
		this.route('GET', '/nodes', {}, ({ who }) =>
			this.nodes.map((node) => ({
				node,
				status: 'online',
				type: 'node',
				id: `node/${node}`,
				...(this.can(who, 'Sys.Audit')
					? { cpu: 0.05, maxcpu: 8, mem: 8 * 2 ** 30, maxmem: 32 * 2 ** 30, uptime: 86400 }
					: {}),
			})),
		);

		// GET /nodes/{node}/status — Sys.Audit on /nodes/{node}.
		this.route('GET', '/nodes/{node}/status', {}, ({ path, who }) => {
			this.node(path.node);
			this.need(who, `/nodes/${path.node}`, 'Sys.Audit');
			return {
				uptime: 86400,
				cpu: 0.05,
				memory: { total: 32 * 2 ** 30, used: 8 * 2 ** 30, free: 24 * 2 ** 30 },
				pveversion: 'pve-manager/8.4.1/c3f8d5d0',
				kversion: 'Linux 6.8.12-9-pve',
			};
		});

		// GET /nodes/{node}/storage — content filter; storages the caller cannot audit are left out.
		this.route(
			'GET',
			'/nodes/{node}/storage',
			{
				content: optional(string()),
				enabled: optional(boolean),
				storage: optional(storageId),
				format: optional(boolean),
				target: optional(nodeName),
			},
			({ path, params, who }) => {
				this.node(path.node);
				if (!this.can(who, 'Datastore.Audit')) return [];
				return this.storages(path.node)
					.filter(
						(entry) =>
							!params.content ||
							params.content.split(',').some((content) => entry.content.split(',').includes(content)),
					)
					.map((entry) => omit(entry, 'node'));
			},
		);

		// GET /nodes/{node}/storage/{storage}/content — content: backup|iso|vztmpl|images|rootdir, vmid filter.
		this.route(
			'GET',
			'/nodes/{node}/storage/{storage}/content',
			{ content: optional(string()), vmid: optional(vmidCheck) },
			({ path, params, who }) => {
				this.node(path.node);
				if (!this.storages(path.node).some((entry) => entry.storage === path.storage))
					fail(500, `storage '${path.storage}' does not exist`);
				this.need(who, `/storage/${path.storage}`, 'Datastore.Audit');
				const volumes: Array<Record<string, unknown>> = [];
				if (path.storage === 'local') {
					volumes.push({
						volid: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
						content: 'vztmpl',
						format: 'tzst',
						size: 120 * 2 ** 20,
						ctime: 1714000000,
					});
					volumes.push({
						volid: 'local:iso/ubuntu-24.04-live-server-amd64.iso',
						content: 'iso',
						format: 'iso',
						size: 2.6 * 2 ** 30,
						ctime: 1714000000,
					});
					for (const backup of this.backups.filter(
						(entry) => entry.node === path.node && entry.storage === path.storage,
					)) {
						volumes.push({
							volid: backup.volid,
							content: 'backup',
							format: backup.format,
							size: backup.size,
							ctime: backup.ctime,
							vmid: backup.vmid,
							subtype: backup.kind,
							...(backup.notes ? { notes: backup.notes } : {}),
						});
					}
				} else {
					for (const vm of this.vms.values())
						if (vm.node === path.node)
							volumes.push({
								volid: `local-lvm:vm-${vm.vmid}-disk-0`,
								content: 'images',
								format: 'raw',
								size: 8 * 2 ** 30,
								vmid: vm.vmid,
							});
				}
				return volumes.filter(
					(volume) =>
						(!params.content || volume.content === params.content) &&
						(!params.vmid || volume.vmid === Number(params.vmid)),
				);
			},
		);

		// DELETE /nodes/{node}/storage/{storage}/content/{volume} — delete a volume (a backup archive here);
		// PVE 8 runs it as an "imgdel" task and answers its UPID. A protected archive cannot be deleted.
		this.route(
			'DELETE',
			'/nodes/{node}/storage/{storage}/content/{volume}',
			{ delay: optional(integer(1, 30)) },
			({ path, who }) => {
				this.node(path.node);
				if (!this.storages(path.node).some((entry) => entry.storage === path.storage))
					fail(500, `storage '${path.storage}' does not exist`);
				const volid = path.volume.includes(':') ? path.volume : `${path.storage}:${path.volume}`;
				const index = this.backups.findIndex(
					(entry) => entry.node === path.node && entry.storage === path.storage && entry.volid === volid,
				);
				if (index < 0) fail(500, `volume '${volid}' does not exist`);
				this.need(who, `/storage/${path.storage}`, 'Datastore.Allocate');
				this.counters.backupDelete++;
				// pve-storage forks the worker without an id: a volid has colons, which a UPID's id field cannot hold
				return this.task(who, path.node, 'imgdel', '', this.options.taskMs, () => {
					const at = this.backups.findIndex((entry) => entry.volid === volid);
					if (at >= 0) this.backups.splice(at, 1);
				});
			},
		);

		// GET /nodes/{node}/qemu — VMs of the node the caller may audit.
		this.route('GET', '/nodes/{node}/qemu', { full: optional(boolean) }, ({ path, who }) => {
			this.node(path.node);
			return [...this.vms.values()]
				.filter((vm) => vm.kind === 'qemu' && vm.node === path.node && this.can(who, 'VM.Audit'))
				.map((vm) => {
					return omit(this.vmResource(vm), 'id', 'type', 'node');
				});
		});

		// GET /nodes/{node}/qemu/{vmid}/status/current
		this.route('GET', '/nodes/{node}/qemu/{vmid}/status/current', {}, ({ path, who }) => {
			const vm = this.vm(path.node, path.vmid);
			this.need(who, `/vms/${vm.vmid}`, 'VM.Audit');
			const entry = omit(this.vmResource(vm), 'id', 'type', 'node');
			return {
				...entry,
				qmpstatus: vm.paused ? 'paused' : vm.status,
				agent: String(vm.config.agent ?? '0').startsWith('1') ? 1 : 0,
				cpus: Number(vm.config.cores ?? 1),
			};
		});

		// GET /nodes/{node}/qemu/{vmid}/config — current config (sshkeys stay URL-encoded as stored; vm_config
		// shows a cloud-init password only as "**********").
		this.route(
			'GET',
			'/nodes/{node}/qemu/{vmid}/config',
			{ current: optional(boolean), snapshot: optional(configId) },
			({ path, who }) => {
				const vm = this.vm(path.node, path.vmid);
				this.need(who, `/vms/${vm.vmid}`, 'VM.Audit');
				return {
					...vm.config,
					...(vm.config.cipassword !== undefined ? { cipassword: '**********' } : {}),
					...(vm.lock ? { lock: vm.lock } : {}),
					digest: randomBytes(20).toString('hex'),
				};
			},
		);

		const updateConfig = (vm: SimVm, params: Record<string, string>, who: Identity) => {
			for (const key of Object.keys(params)) {
				if (['digest', 'skiplock', 'delete'].includes(key)) continue;
				const privilege = /^(ci|sshkeys|ipconfig|nameserver|searchdomain)/.test(key)
					? 'VM.Config.Cloudinit'
					: key === 'cores' || key === 'sockets' || key === 'cpu'
						? 'VM.Config.CPU'
						: key === 'memory' || key === 'balloon'
							? 'VM.Config.Memory'
							: key.startsWith('net')
								? 'VM.Config.Network'
								: 'VM.Config.Options';
				this.need(who, `/vms/${vm.vmid}`, privilege);
			}
			if (!isTrue(params.skiplock)) this.checkLock(vm);
			if (params.sshkeys !== undefined) {
				// qemu-server: uri_unescape, then PVE::Tools::validate_ssh_public_keys.
				const keys = decodeURIComponent(params.sshkeys)
					.split('\n')
					.filter((line) => line.trim());
				for (const key of keys) {
					if (
						!/^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp\d+|sk-\S+) [A-Za-z0-9+/]{16,}={0,3}( .*)?$/.test(
							key.trim(),
						)
					)
						fail(500, 'SSH public key validation error');
				}
			}
			const changes = Object.fromEntries(
				Object.entries(params).filter(([key]) => !['digest', 'skiplock', 'delete'].includes(key)),
			);
			// update_vm_api stores cipassword crypt()ed (encrypt_pw, "$5$salt$hash") unless it already is a hash.
			if (changes.cipassword !== undefined && !/^\$(?:[156]|2[ay])(\$.+){2}/.test(changes.cipassword)) {
				const salt = randomBytes(6).toString('base64').replace(/[+/=]/g, '');
				changes.cipassword = `$5$${salt}$${createHash('sha256')
					.update(salt + changes.cipassword)
					.digest('base64')}`;
			}
			return () => {
				Object.assign(vm.config, changes);
				for (const key of (params.delete ?? '').split(/[,;\s]+/).filter(Boolean)) delete vm.config[key];
			};
		};

		// POST /nodes/{node}/qemu/{vmid}/config — asynchronous update: a qmconfig task.
		this.route(
			'POST',
			'/nodes/{node}/qemu/{vmid}/config',
			{ ...vmConfigSpec, background_delay: optional(integer(1, 30)) },
			({ path, params, who }) => {
				const vm = this.vm(path.node, path.vmid);
				const changes = omit(params, 'background_delay') as Record<string, string>;
				const apply = updateConfig(vm, changes, who);
				return this.task(who, vm.node, 'qmconfig', String(vm.vmid), Math.min(this.options.taskMs, 200), () =>
					apply(),
				);
			},
		);

		// PUT /nodes/{node}/qemu/{vmid}/config — synchronous update, answers null.
		this.route('PUT', '/nodes/{node}/qemu/{vmid}/config', vmConfigSpec, ({ path, params, who }) => {
			const vm = this.vm(path.node, path.vmid);
			updateConfig(vm, params, who)();
			return null;
		});

		// PUT /nodes/{node}/qemu/{vmid}/resize — disk (scsi0, virtio0...), size "+10G" or "50G".
		this.route(
			'PUT',
			'/nodes/{node}/qemu/{vmid}/resize',
			{
				disk: required(
					pattern(
						/^(ide|sata|scsi|virtio|efidisk|tpmstate)\d+$/,
						"value '%s' does not have a value in the enumeration",
					),
				),
				size: required(pattern(/^\+?\d+(\.\d+)?[KMGT]?$/, "value '%s' does not look like a valid disk size")),
				digest: optional(string(64)),
				skiplock: optional(boolean),
			},
			({ path, params, who }) => {
				const vm = this.vm(path.node, path.vmid);
				this.need(who, `/vms/${vm.vmid}`, 'VM.Config.Disk');
				this.checkLock(vm);
				if (!vm.config[params.disk]) fail(500, `disk '${params.disk}' does not exist`);
				vm.config[params.disk] = String(vm.config[params.disk]).replace(
					/size=[^,]+/,
					`size=${params.size.replace('+', '')}`,
				);
				return null;
			},
		);

		// POST /nodes/{node}/qemu/{vmid}/clone — newid, name, full, target, storage...; locks the new VM "clone".
		this.route(
			'POST',
			'/nodes/{node}/qemu/{vmid}/clone',
			{
				newid: required(vmidCheck),
				name: optional(dnsName),
				description: optional(string(8192)),
				full: optional(boolean),
				target: optional(nodeName),
				storage: optional(storageId),
				format: optional(enumeration('raw', 'qcow2', 'vmdk')),
				pool: optional(string()),
				snapname: optional(configId),
				bwlimit: optional(integer(0)),
			},
			({ path, params, who }) => {
				const source = this.vm(path.node, path.vmid);
				this.need(who, `/vms/${source.vmid}`, 'VM.Clone');
				this.need(who, `/vms/${params.newid}`, 'VM.Allocate');
				const target = params.target ? this.node(params.target) : source.node;
				const newid = Number(params.newid);
				if (this.vms.has(newid)) fail(500, `unable to create VM ${newid}: config file already exists`);
				const full = params.full === undefined ? !source.template : isTrue(params.full);
				if (!full && !source.template) fail(500, "Linked clone feature is not supported for drive 'scsi0'");
				if (!full && params.storage)
					fail(400, 'Parameter verification failed.', {
						storage: 'parameter is only allowed for full clones',
					});
				if (params.storage && !['local-lvm'].includes(params.storage))
					fail(500, `storage '${params.storage}' does not support vm images`);
				if (!source.template) this.checkLock(source);
				if (target !== source.node && !full)
					fail(500, "Can't clone to another node - linked clones need shared storage");
				this.counters.clone++;
				this.perGuest.clone.set(newid, (this.perGuest.clone.get(newid) ?? 0) + 1);
				const clone: SimVm = {
					kind: 'qemu',
					vmid: newid,
					node: target,
					status: 'stopped',
					template: false,
					config: { ...source.config, name: params.name ?? `Copy-of-VM-${source.config.name as string}` },
					lock: 'clone',
					snapshots: new Map(),
				};
				delete clone.config.template;
				clone.config.scsi0 = `${params.storage ?? 'local-lvm'}:vm-${newid}-disk-0,size=8G`;
				clone.config.net0 = `virtio=BC:24:11:${hex8(newid).slice(2, 4)}:${hex8(newid).slice(4, 6)}:${hex8(newid).slice(6, 8)},bridge=vmbr0`;
				if (params.description) clone.config.description = params.description;
				this.vms.set(newid, clone);
				if (!source.template) source.lock = 'clone';
				return this.task(
					who,
					source.node,
					'qmclone',
					String(source.vmid),
					this.options.cloneMs,
					(log) => {
						if (!source.template) delete source.lock;
						log(`transferred 8.0 GiB of 8.0 GiB (100.00%)`);
						delete clone.lock;
					},
					(log, fraction) =>
						log(`transferred ${(8 * fraction).toFixed(1)} GiB of 8.0 GiB (${(fraction * 100).toFixed(2)}%)`),
				);
			},
		);

		// qemu-server's power calls (PVE/API2/Qemu.pm vm_start ... vm_resume) check little before fork_worker
		// answers the UPID: "VM n not running" for reboot/suspend/resume, "VM is paused - cannot shutdown". The
		// rest happens inside the task (PVE/QemuServer.pm vm_start, vm_stop, vm_suspend, vm_resume): a template
		// refuses to start, a lock (check_lock, unless skiplock) fails the task, a second start fails with "VM n
		// already running", and stop/shutdown of a stopped VM end OK (vm_stop returns when no pid runs).
		const power = (
			action: string,
			spec: Record<string, ParamSpec>,
			type: string | ((params: Record<string, string>) => string),
			run: (vm: SimVm, params: Record<string, string>) => void,
			precheck?: (vm: SimVm, params: Record<string, string>) => void,
		) =>
			this.route(
				'POST',
				`/nodes/{node}/qemu/{vmid}/status/${action}`,
				{ skiplock: optional(boolean), ...spec },
				({ path, params, who }) => {
					const vm = this.vm(path.node, path.vmid);
					this.need(who, `/vms/${vm.vmid}`, 'VM.PowerMgmt');
					precheck?.(vm, params);
					const taskType = typeof type === 'string' ? type : type(params);
					return this.task(who, vm.node, taskType, String(vm.vmid), this.options.taskMs, () =>
						run(vm, params),
					);
				},
			);
		/** PVE::AbstractConfig::check_lock inside the task, skipped with skiplock (and, for vm_start, "suspended"). */
		const assertUnlocked = (vm: SimVm, params: Record<string, string>, allowSuspended = false) => {
			if (vm.lock && !isTrue(params.skiplock) && !(allowSuspended && vm.lock === 'suspended'))
				throw new Error(`VM ${vm.vmid} is locked (${vm.lock})`);
		};
		const boot = (vm: SimVm) => {
			vm.status = 'running';
			vm.startedAt = Date.now();
			vm.bootedAt = Date.now() + this.options.bootMs;
		};
		const halt = (vm: SimVm) => {
			vm.status = 'stopped';
			vm.bootedAt = vm.startedAt = undefined;
			vm.paused = false;
		};
		/** vm_start: template, then lock, then "already running"; a VM suspended to disk resumes from its state. */
		const startInTask = (vm: SimVm, params: Record<string, string>) => {
			if (vm.template) throw new Error("you can't start a vm if it's a template");
			assertUnlocked(vm, params, true);
			if (vm.status === 'running') throw new Error(`VM ${vm.vmid} already running`);
			if (vm.lock === 'suspended') {
				delete vm.lock;
				delete vm.config.vmstate;
			}
			boot(vm);
		};
		/** vm_stop: nothing to do (OK) when the VM does not run; otherwise the lock is checked first. */
		const stopInTask = (vm: SimVm, params: Record<string, string>) => {
			if (vm.status !== 'running') return;
			assertUnlocked(vm, params);
			halt(vm);
		};
		power(
			'start',
			{ timeout: optional(integer(0, 86400)), machine: optional(string()), migratedfrom: optional(nodeName) },
			'qmstart',
			startInTask,
		);
		power(
			'stop',
			{
				timeout: optional(integer(0)),
				keepActive: optional(boolean),
				'overrule-shutdown': optional(boolean),
			},
			'qmstop',
			stopInTask,
		);
		power(
			'shutdown',
			{ timeout: optional(integer(0)), forceStop: optional(boolean), keepActive: optional(boolean) },
			'qmshutdown',
			stopInTask,
			(vm, params) => {
				if (vm.status === 'running' && vm.paused && !isTrue(params.forceStop))
					fail(500, 'VM is paused - cannot shutdown');
			},
		);
		power(
			'reboot',
			{ timeout: optional(integer(0)) },
			'qmreboot',
			(vm, params) => {
				assertUnlocked(vm, params);
				boot(vm);
			},
			(vm) => {
				if (vm.status !== 'running') fail(500, `VM ${vm.vmid} not running`);
			},
		);
		// POST .../status/suspend (qemu-server vm_suspend): "VM n not running" unless it runs; a "qmpause" task, or
		// with todisk a "qmsuspend" task that saves the RAM to a vmstate volume, stops the VM and locks it
		// "suspended" until the next start/resume. statestorage "requires" todisk.
		power(
			'suspend',
			{
				todisk: optional(boolean),
				statestorage: optional(storageId, { requires: 'todisk' }),
			},
			(params) => (isTrue(params.todisk) ? 'qmsuspend' : 'qmpause'),
			(vm, params) => {
				assertUnlocked(vm, params);
				if (isTrue(params.todisk)) {
					vm.config.vmstate = `${params.statestorage ?? 'local-lvm'}:vm-${vm.vmid}-state-suspend-${new Date().toISOString().slice(0, 10)}`;
					halt(vm);
					vm.lock = 'suspended';
				} else vm.paused = true;
			},
			(vm) => {
				if (vm.status !== 'running') fail(500, `VM ${vm.vmid} not running`);
			},
		);
		// POST .../status/resume (vm_resume): a VM suspended to disk is started again (vm_start), otherwise it
		// must be running ("VM n not running").
		power(
			'resume',
			{ nocheck: optional(boolean) },
			'qmresume',
			(vm, params) => {
				if (vm.lock === 'suspended') startInTask(vm, params);
				else {
					assertUnlocked(vm, params);
					vm.paused = false;
				}
			},
			(vm) => {
				if (vm.lock !== 'suspended' && vm.status !== 'running') fail(500, `VM ${vm.vmid} not running`);
			},
		);

		// POST /nodes/{node}/qemu/{vmid}/template — qmtemplate (answers the UPID); qemu-server's template method
		// refuses a locked VM, one with snapshots, a template and a running VM, in this order.
		this.route(
			'POST',
			'/nodes/{node}/qemu/{vmid}/template',
			{ disk: optional(string()) },
			({ path, who }) => {
				const vm = this.vm(path.node, path.vmid);
				this.need(who, `/vms/${vm.vmid}`, 'VM.Allocate');
				this.checkLock(vm);
				if (vm.snapshots.size > 0) fail(500, 'unable to create template, because VM contains snapshots');
				if (vm.template) fail(500, "you can't convert a template to a template");
				if (vm.status === 'running') fail(500, "you can't convert a VM to template if VM is running");
				return this.task(who, vm.node, 'qmtemplate', String(vm.vmid), this.options.taskMs, () => {
					vm.template = true;
					vm.config.template = 1;
				});
			},
		);

		// POST /nodes/{node}/qemu/{vmid}/migrate — target (required), online, with-local-disks; qmigrate task.
		this.route(
			'POST',
			'/nodes/{node}/qemu/{vmid}/migrate',
			{
				target: required(nodeName),
				online: optional(boolean),
				'with-local-disks': optional(boolean),
				targetstorage: optional(string()),
				force: optional(boolean),
				bwlimit: optional(integer(0)),
			},
			({ path, params, who }) => {
				const vm = this.vm(path.node, path.vmid);
				this.need(who, `/vms/${vm.vmid}`, 'VM.Migrate');
				// migrate_vm: raise_param_exc({ target => "target is local node." }) — a 400.
				if (params.target === vm.node)
					fail(400, 'Parameter verification failed.', { target: 'target is local node.' });
				const target = this.node(params.target);
				this.checkLock(vm);
				if (vm.status === 'running' && !isTrue(params.online)) {
					fail(500, `can't migrate running VM without --online`);
				}
				if (!isTrue(params['with-local-disks']) && String(vm.config.scsi0 ?? '').startsWith('local')) {
					fail(
						500,
						`can't migrate local disk '${String(vm.config.scsi0).split(',')[0]}': use --with-local-disks to migrate local disks`,
					);
				}
				vm.lock = 'migrate';
				return this.task(who, vm.node, 'qmigrate', String(vm.vmid), this.options.taskMs, (log) => {
					delete vm.lock;
					log(`starting migration of VM ${vm.vmid} to node '${target}'`);
					vm.node = target;
					log('migration finished successfully');
				});
			},
		);

		// POST /nodes/{node}/qemu — create a VM, or restore one from a vzdump archive (archive=<volid>).
		this.route(
			'POST',
			'/nodes/{node}/qemu',
			{
				...vmConfigSpec,
				vmid: required(vmidCheck),
				archive: optional(string(255)),
				storage: optional(storageId),
				force: optional(boolean, { requires: 'archive' }),
				unique: optional(boolean, { requires: 'archive' }),
				start: optional(boolean),
				pool: optional(string()),
				ostype: optional(string()),
				scsihw: optional(string()),
				'scsi[n]': optional(string()),
				'ide[n]': optional(string()),
				'virtio[n]': optional(string()),
			},
			({ path, params, who }) => {
				this.node(path.node);
				const vmid = Number(params.vmid);
				const existing = this.vms.get(vmid);
				this.need(who, `/vms/${vmid}`, 'VM.Allocate');
				if (params.archive !== undefined) {
					const backup = this.backups.find((entry) => entry.volid === params.archive);
					if (!backup) fail(500, `volume '${params.archive}' does not exist`);
					if (existing && !isTrue(params.force)) {
						fail(500, `unable to restore VM ${vmid} - VM ${vmid} already exists on node '${existing.node}'`);
					}
					// (wording ours: the real server fails writing a qemu config beside the container's)
					if (existing && existing.kind !== 'qemu')
						fail(500, `unable to restore VM ${vmid} - CT ${vmid} already exists on node '${existing.node}'`);
					if (existing && existing.status === 'running')
						fail(500, `unable to restore VM ${vmid} - vm is running`);
					if (existing) this.checkLock(existing);
					// qemu-server: the other options override the restored config (PVE 7.2+), disks cannot
					const overrides = Object.fromEntries(
						Object.entries(params).filter(
							([key]) => !['vmid', 'archive', 'storage', 'force', 'unique', 'start', 'pool'].includes(key),
						),
					);
					const drives = Object.keys(overrides).filter(isDriveKey);
					if (drives.length)
						fail(
							400,
							'Parameter verification failed.',
							Object.fromEntries(drives.map((key) => [key, "option conflicts with option 'archive'"])),
						);
					this.counters.restore++;
					const restored: SimVm = {
						kind: 'qemu',
						vmid,
						node: path.node,
						status: 'stopped',
						template: false,
						config: { ...backup!.config },
						lock: 'create',
						snapshots: new Map(),
					};
					this.vms.set(vmid, restored);
					return this.task(who, path.node, 'qmrestore', String(vmid), this.options.vzdumpMs, (log) => {
						if (backup!.kind !== 'qemu') {
							// A container's tar holds no qemu-server.conf (wording ours); the half-made VM is removed.
							this.vms.delete(vmid);
							throw new Error(`unable to restore VM ${vmid} - archive holds no VM configuration`);
						}
						if (backup!.corrupt) {
							// qemu-server removes the lock and leaves the half-restored VM ("NOT cleaned up")
							delete restored.lock;
							restored.config = {};
							log(`restore vma archive: ${backup!.volid}`);
							throw new Error(unreadableArchive(backup!));
						}
						delete restored.lock;
						restored.config = { ...restored.config, ...overrides };
						log(`restore vma archive: ${backup!.volid}`);
						if (isTrue(params.start)) boot(restored);
					});
				}
				if (existing)
					fail(500, `unable to create VM ${vmid} - VM ${vmid} already exists on node '${existing.node}'`);
				const created: SimVm = {
					kind: 'qemu',
					vmid,
					node: path.node,
					status: 'stopped',
					template: false,
					config: Object.fromEntries(
						Object.entries(params).filter(
							([key]) => !['vmid', 'start', 'pool', 'storage', 'force', 'unique'].includes(key),
						),
					),
					lock: 'create',
					snapshots: new Map(),
				};
				this.vms.set(vmid, created);
				return this.task(who, path.node, 'qmcreate', String(vmid), this.options.taskMs, () => {
					delete created.lock;
					if (isTrue(params.start)) boot(created);
				});
			},
		);

		// DELETE /nodes/{node}/qemu/{vmid} — qmdestroy; a running VM cannot be destroyed.
		this.route(
			'DELETE',
			'/nodes/{node}/qemu/{vmid}',
			{
				purge: optional(boolean),
				'destroy-unreferenced-disks': optional(boolean),
				skiplock: optional(boolean),
			},
			({ path, params, who }) => {
				const vm = this.vm(path.node, path.vmid);
				this.need(who, `/vms/${vm.vmid}`, 'VM.Allocate');
				// destroy_vm's early check refuses a running VM before the task; the lock is checked in the task
				// (PVE::QemuServer::destroy_vm: check_lock unless skiplock or the lock is "suspended").
				if (vm.status === 'running') fail(500, `VM ${vm.vmid} is running - destroy failed`);
				return this.task(who, vm.node, 'qmdestroy', String(vm.vmid), this.options.taskMs, () => {
					if (vm.lock && vm.lock !== 'suspended' && !isTrue(params.skiplock))
						throw new Error(`VM ${vm.vmid} is locked (${vm.lock})`);
					this.vms.delete(vm.vmid);
				});
			},
		);

		// GET /nodes/{node}/qemu/{vmid}/agent/network-get-interfaces — 500 until the agent runs in the guest.
		this.route('GET', '/nodes/{node}/qemu/{vmid}/agent/network-get-interfaces', {}, ({ path, who }) => {
			const vm = this.vm(path.node, path.vmid);
			this.need(who, `/vms/${vm.vmid}`, 'VM.Monitor');
			if (!String(vm.config.agent ?? '0').match(/^(1|enabled=1)/))
				fail(500, 'No QEMU guest agent configured');
			if (vm.status !== 'running') fail(500, `VM ${vm.vmid} is not running`);
			if (!vm.bootedAt || Date.now() < vm.bootedAt) fail(500, 'QEMU guest agent is not running');
			return {
				result: [
					{
						name: 'lo',
						'hardware-address': '00:00:00:00:00:00',
						'ip-addresses': [
							{ 'ip-address': '127.0.0.1', 'ip-address-type': 'ipv4', prefix: 8 },
							{ 'ip-address': '::1', 'ip-address-type': 'ipv6', prefix: 128 },
						],
					},
					{
						name: 'eth0',
						'hardware-address': String(vm.config.net0).slice(7, 24).toLowerCase(),
						'ip-addresses': [
							{ 'ip-address': this.guestIp(vm), 'ip-address-type': 'ipv4', prefix: 24 },
							{
								'ip-address': `fe80::be24:11ff:fe00:${vm.vmid.toString(16)}`,
								'ip-address-type': 'ipv6',
								prefix: 64,
							},
						],
					},
				],
			};
		});

		// Snapshots of VMs and containers: GET/POST /nodes/{node}/{qemu|lxc}/{vmid}/snapshot,
		// POST .../{snapname}/rollback, DELETE .../{snapname}.
		for (const kind of ['qemu', 'lxc'] as const) {
			this.route('GET', `/nodes/{node}/${kind}/{vmid}/snapshot`, {}, ({ path, who }) => {
				const vm = this.vm(path.node, path.vmid, kind);
				this.need(who, `/vms/${vm.vmid}`, 'VM.Audit');
				return [
					...[...vm.snapshots.values()].map((snap) => ({
						name: snap.name,
						description: snap.description,
						snaptime: snap.snaptime,
						vmstate: snap.vmstate,
						...(snap.parent ? { parent: snap.parent } : {}),
					})),
					{
						name: 'current',
						description: 'You are here!',
						digest: randomBytes(20).toString('hex'),
						running: vm.status === 'running' ? 1 : 0,
						...(vm.parent ? { parent: vm.parent } : {}),
					},
				];
			});
			this.route(
				'POST',
				`/nodes/{node}/${kind}/{vmid}/snapshot`,
				{ snapname: required(configId), description: optional(string(8192)), vmstate: optional(boolean) },
				({ path, params, who }) => {
					const vm = this.vm(path.node, path.vmid, kind);
					this.need(who, `/vms/${vm.vmid}`, 'VM.Snapshot');
					this.checkLock(vm);
					if (params.snapname === 'current')
						fail(400, 'Parameter verification failed.', { snapname: "invalid snapshot name 'current'" });
					if (vm.snapshots.has(params.snapname)) fail(500, `snapshot name '${params.snapname}' already used`);
					const vmstate = isTrue(params.vmstate) && vm.status === 'running';
					vm.lock = 'snapshot';
					return this.task(
						who,
						vm.node,
						kind === 'qemu' ? 'qmsnapshot' : 'vzsnapshot',
						String(vm.vmid),
						this.options.taskMs,
						(log) => {
							delete vm.lock;
							vm.snapshots.set(params.snapname, {
								name: params.snapname,
								description: params.description ?? '',
								snaptime: Math.floor(Date.now() / 1000),
								vmstate: vmstate ? 1 : 0,
								parent: vm.parent,
								config: { ...vm.config },
								status: vm.status,
							});
							vm.parent = params.snapname;
							log(`snapshotting 'drive-scsi0' (local-lvm:vm-${vm.vmid}-disk-0)`);
						},
					);
				},
			);
			this.route(
				'POST',
				`/nodes/{node}/${kind}/{vmid}/snapshot/{snapname}/rollback`,
				{ start: optional(boolean) },
				({ path, params, who }) => {
					const vm = this.vm(path.node, path.vmid, kind);
					this.need(who, `/vms/${vm.vmid}`, 'VM.Snapshot.Rollback');
					const snap = vm.snapshots.get(path.snapname);
					if (!snap) fail(500, `snapshot '${path.snapname}' does not exist`);
					this.checkLock(vm);
					vm.lock = 'rollback';
					return this.task(
						who,
						vm.node,
						kind === 'qemu' ? 'qmrollback' : 'vzrollback',
						String(vm.vmid),
						this.options.taskMs,
						() => {
							delete vm.lock;
							vm.config = { ...snap!.config };
							vm.parent = snap!.name;
							if (snap!.vmstate || isTrue(params.start)) boot(vm);
							else halt(vm);
						},
					);
				},
			);
			this.route(
				'DELETE',
				`/nodes/{node}/${kind}/{vmid}/snapshot/{snapname}`,
				{ force: optional(boolean) },
				({ path, who }) => {
					const vm = this.vm(path.node, path.vmid, kind);
					this.need(who, `/vms/${vm.vmid}`, 'VM.Snapshot');
					const snap = vm.snapshots.get(path.snapname);
					if (!snap) fail(500, `snapshot '${path.snapname}' does not exist`);
					this.checkLock(vm);
					return this.task(
						who,
						vm.node,
						kind === 'qemu' ? 'qmdelsnapshot' : 'vzdelsnapshot',
						String(vm.vmid),
						this.options.taskMs,
						() => {
							vm.snapshots.delete(path.snapname);
							for (const other of vm.snapshots.values())
								if (other.parent === path.snapname) other.parent = snap!.parent;
							if (vm.parent === path.snapname) vm.parent = snap!.parent;
						},
					);
				},
			);
		}

		this.defineLxcRoutes(vmConfigSpec, boot, halt);

		// GET /nodes/{node}/vzdump/extractconfig — the guest config stored in a backup archive, as a string. Needs
		// VM.Backup on the guest (check_volume_access); a damaged archive fails reading it (500).
		this.route(
			'GET',
			'/nodes/{node}/vzdump/extractconfig',
			{ volume: required(string()) },
			({ path, params, who }) => {
				this.node(path.node);
				const backup = this.backups.find((entry) => entry.volid === params.volume);
				if (!backup || backup.node !== path.node) fail(500, `volume '${params.volume}' does not exist`);
				this.need(who, `/vms/${backup!.vmid}`, 'VM.Backup');
				if (backup!.corrupt) fail(500, unreadableArchive(backup!));
				return archiveConfigText(backup!);
			},
		);

		// POST /nodes/{node}/vzdump — vmid list, storage, mode, compress, notes-template; one vzdump task.
		this.route(
			'POST',
			'/nodes/{node}/vzdump',
			{
				vmid: optional(vmidList),
				all: optional(boolean),
				storage: optional(storageId),
				mode: optional(enumeration('snapshot', 'suspend', 'stop')),
				compress: optional(enumeration('0', '1', 'gzip', 'lzo', 'zstd')),
				'notes-template': optional(string(1024)),
				remove: optional(boolean),
				protected: optional(boolean),
				'prune-backups': optional(string()),
				mailnotification: optional(enumeration('always', 'failure')),
				'notification-mode': optional(enumeration('auto', 'legacy-sendmail', 'notification-system')),
			},
			({ path, params, who }) => {
				this.node(path.node);
				if (!params.vmid && !isTrue(params.all))
					fail(400, 'Parameter verification failed.', { vmid: 'property is missing and it is not optional' });
				const storage = params.storage ?? 'local';
				const store = this.storages(path.node).find((entry) => entry.storage === storage);
				if (!store) fail(500, `storage '${storage}' does not exist`);
				if (!store!.content.split(',').includes('backup'))
					fail(500, `storage '${storage}' does not support backups`);
				const ids = isTrue(params.all)
					? [...this.vms.values()]
							.filter((vm) => vm.node === path.node && !vm.template)
							.map((vm) => vm.vmid)
							.sort((a, b) => a - b)
					: (params.vmid ?? '')
							.split(/[,;\s]+/)
							.filter(Boolean)
							.map(Number);
				for (const id of ids) this.need(who, `/vms/${id}`, 'VM.Backup');
				this.need(who, `/storage/${storage}`, 'Datastore.AllocateSpace');
				this.counters.vzdump++;
				for (const id of ids) this.perGuest.vzdump.set(id, (this.perGuest.vzdump.get(id) ?? 0) + 1);
				const compress = params.compress ?? '0';
				const extension =
					{ '0': 'vma', '1': 'vma.lzo', gzip: 'vma.gz', lzo: 'vma.lzo', zstd: 'vma.zst' }[compress] ?? 'vma';
				return this.task(
					who,
					path.node,
					'vzdump',
					ids.length === 1 ? String(ids[0]) : '',
					this.options.vzdumpMs,
					(log) => {
						const failed: number[] = [];
						for (const id of ids) {
							const vm = this.vms.get(id);
							if (!vm || vm.node !== path.node) {
								log(`ERROR: Backup of VM ${id} failed - unable to find VM '${id}' on node '${path.node}'`);
								failed.push(id);
								continue;
							}
							if (vm.lock) {
								log(`ERROR: Backup of VM ${id} failed - VM is locked (${vm.lock})`);
								failed.push(id);
								continue;
							}
							const now = new Date();
							const two = (value: number) => String(value).padStart(2, '0');
							const date = `${now.getUTCFullYear()}_${two(now.getUTCMonth() + 1)}_${two(now.getUTCDate())}-${two(now.getUTCHours())}_${two(now.getUTCMinutes())}_${two(now.getUTCSeconds())}`;
							const volid =
								vm.kind === 'qemu'
									? `${storage}:backup/vzdump-qemu-${id}-${date}.${extension}`
									: `${storage}:backup/vzdump-lxc-${id}-${date}.${extension.replace('vma', 'tar')}`;
							const notes = (params['notes-template'] ?? '{{guestname}}')
								.replace('{{guestname}}', String(vm.config.name ?? vm.config.hostname ?? ''))
								.replace('{{vmid}}', String(id))
								.replace('{{node}}', path.node);
							// the archive's file name has the second it started: a second vzdump of the guest within
							// that second writes the same file
							const same = this.backups.findIndex((entry) => entry.volid === volid);
							if (same >= 0) this.backups.splice(same, 1);
							this.backups.push({
								volid,
								node: path.node,
								storage,
								vmid: id,
								ctime: Math.floor(Date.now() / 1000),
								size: 1.2 * 2 ** 30,
								format: vm.kind === 'qemu' ? extension : extension.replace('vma', 'tar'),
								kind: vm.kind,
								notes,
								config: { ...vm.config },
								...(this.corruptNext ? { corrupt: true } : {}),
							});
							this.corruptNext = false;
							log(`INFO: Starting Backup of VM ${id} (${vm.kind})`);
							log(`INFO: creating vzdump archive '/var/lib/vz/dump/${volid.split('/')[1]}'`);
							log(`INFO: Finished Backup of VM ${id} (00:00:01)`);
						}
						if (failed.length) throw new Error('job errors');
					},
				);
			},
		);

		// GET /nodes/{node}/tasks (pve-manager PVE::API2::Tasks node_tasks): newest first; source "archive" (the
		// default) lists finished tasks only, "active" running ones, "all" both; vmid, typefilter, userfilter,
		// errors, since/until and start/limit filter. A user sees its own tasks, or all with Sys.Audit.
		this.route(
			'GET',
			'/nodes/{node}/tasks',
			{
				start: optional(integer(0)),
				limit: optional(integer(0)),
				userfilter: optional(string()),
				typefilter: optional(string()),
				vmid: optional(vmidCheck),
				errors: optional(boolean),
				source: optional(enumeration('archive', 'active', 'all')),
				since: optional(integer()),
				until: optional(integer()),
				statusfilter: optional(string()),
			},
			({ path, params, who }) => {
				this.node(path.node);
				const source = params.source ?? 'archive';
				const start = Number(params.start ?? 0);
				const limit = Number(params.limit ?? 50);
				return [...this.tasks]
					.reverse()
					.filter((task) => task.node === path.node)
					.filter((task) => this.can(who, 'Sys.Audit') || task.user === who.name)
					.filter((task) =>
						source === 'all'
							? true
							: source === 'active'
								? task.status === 'running'
								: task.status === 'stopped',
					)
					.filter((task) => !params.vmid || task.id === params.vmid)
					.filter((task) => !params.typefilter || task.type === params.typefilter)
					.filter(
						(task) => !params.userfilter || task.user.toLowerCase().includes(params.userfilter.toLowerCase()),
					)
					.filter((task) => !isTrue(params.errors) || (task.status === 'stopped' && task.exitstatus !== 'OK'))
					.filter((task) => !params.since || task.starttime >= Number(params.since))
					.filter((task) => !params.until || task.starttime <= Number(params.until))
					.slice(start, start + limit)
					.map((task) => ({
						upid: task.upid,
						node: task.node,
						pid: task.pid,
						pstart: task.pstart,
						starttime: task.starttime,
						type: task.type,
						id: task.id,
						user: task.user,
						...(task.status === 'stopped' ? { endtime: task.endtime, status: task.exitstatus } : {}),
					}));
			},
		);

		// GET /nodes/{node}/tasks/{upid}/status and /log (start, limit; answers "total" beside "data").
		this.route('GET', '/nodes/{node}/tasks/{upid}/status', {}, ({ path }) => {
			const task = this.findTask(path.node, path.upid);
			return {
				upid: task.upid,
				node: task.node,
				pid: task.pid,
				pstart: task.pstart,
				starttime: task.starttime,
				type: task.type,
				id: task.id,
				user: task.user,
				status: task.status,
				...(task.status === 'stopped' ? { exitstatus: task.exitstatus } : {}),
			};
		});
		this.route(
			'GET',
			'/nodes/{node}/tasks/{upid}/log',
			{ start: optional(integer(0)), limit: optional(integer(0)), download: optional(boolean) },
			({ path, params }) => {
				const task = this.findTask(path.node, path.upid);
				const start = Number(params.start ?? 0);
				const limit = Number(params.limit ?? 50);
				const lines = task.log.map((t, index) => ({ n: index + 1, t }));
				return lines.length === 0 && start === 0
					? [{ n: 1, t: 'no content' }]
					: lines.slice(start, start + limit);
			},
		);
	}

	/** pve-container's API: /nodes/{node}/lxc... (containers are "CT" in messages; their tasks are vz*). */
	private defineLxcRoutes(
		vmConfigSpec: Record<string, ParamSpec>,
		boot: (vm: SimVm) => void,
		halt: (vm: SimVm) => void,
	): void {
		const ctConfigSpec: Record<string, ParamSpec> = {
			hostname: optional(dnsName),
			description: vmConfigSpec.description,
			tags: vmConfigSpec.tags,
			cores: optional(integer(1, 8192)),
			memory: optional(integer(16)),
			swap: optional(integer(0)),
			onboot: optional(boolean),
			nameserver: optional(string()),
			searchdomain: optional(string()),
			'net[n]': optional(string(), { maxIndex: 32 }),
			features: optional(string()),
			delete: optional(string()),
			digest: optional(string(64)),
		};
		const ctResource = (vm: SimVm) => omit(this.vmResource(vm), 'id', 'node', 'type');

		// GET /nodes/{node}/lxc — containers of the node.
		this.route('GET', '/nodes/{node}/lxc', {}, ({ path, who }) => {
			this.node(path.node);
			return [...this.vms.values()]
				.filter((vm) => vm.kind === 'lxc' && vm.node === path.node && this.can(who, 'VM.Audit'))
				.map(ctResource);
		});

		// POST /nodes/{node}/lxc — pve-container create_vm, "Create or restore a container": from an ostemplate
		// (vztmpl volume; ssh-public-keys are plain text here), or with restore=1 from a backup volume given as
		// ostemplate (a vzrestore task). An existing ID is refused (check_vmid_unused) unless restore and force
		// replace a stopped container; unique "requires" restore; a storage without rootdir is a 400.
		this.route(
			'POST',
			'/nodes/{node}/lxc',
			{
				...ctConfigSpec,
				vmid: required(vmidCheck),
				ostemplate: required(string(255)),
				password: optional((value) =>
					value.length < 5 ? 'value must be at least 5 characters long' : undefined,
				),
				'ssh-public-keys': optional(string()),
				storage: optional(storageId),
				rootfs: optional(string()),
				unprivileged: optional(boolean),
				start: optional(boolean),
				pool: optional(string()),
				arch: optional(enumeration('amd64', 'i386', 'arm64', 'armhf', 'riscv32', 'riscv64')),
				ostype: optional(string()),
				restore: optional(boolean),
				force: optional(boolean),
				unique: optional(boolean, { requires: 'restore' }),
				'ignore-unpack-errors': optional(boolean),
				bwlimit: optional(integer(0)),
				'ha-managed': optional(boolean),
			},
			({ path, params, who }) => {
				this.node(path.node);
				const vmid = Number(params.vmid);
				const restore = isTrue(params.restore);
				const existing = this.vms.get(vmid);
				const sameContainerExists = existing?.kind === 'lxc';
				if (!(sameContainerExists && restore && isTrue(params.force))) {
					if (existing)
						fail(
							500,
							`${existing.kind === 'qemu' ? 'VM' : 'CT'} ${vmid} already exists on node '${existing.node}'`,
						);
				} else if (existing?.status === 'running') {
					fail(500, "can't overwrite running container");
				}
				this.need(who, `/vms/${vmid}`, 'VM.Allocate');
				// check_and_activate_storage: the rootfs volume's storage, or the default storage (local).
				const storage =
					/^([a-z][a-z0-9\-_.]*[a-z0-9]):/i.exec(params.rootfs ?? '')?.[1] ?? params.storage ?? 'local';
				const store = this.storages(path.node).find((entry) => entry.storage === storage);
				if (!store) fail(500, `storage '${storage}' does not exist`);
				if (!store!.content.split(',').includes('rootdir'))
					fail(400, 'Parameter verification failed.', {
						storage: `storage '${storage}' does not support container directories`,
					});
				if (restore) {
					const backup = this.backups.find(
						(entry) => entry.volid === params.ostemplate && entry.node === path.node,
					);
					if (!backup) fail(500, `volume '${params.ostemplate}' does not exist`);
					if (existing) {
						try {
							this.checkLock(existing);
						} catch (error) {
							fail(500, `unable to restore CT ${vmid} - ${(error as Error).message}`);
						}
					}
					this.counters.restore++;
					const restored: SimVm = {
						kind: 'lxc',
						vmid,
						node: path.node,
						status: 'stopped',
						template: false,
						config: existing ? existing.config : {},
						lock: 'create',
						snapshots: new Map(),
					};
					this.vms.set(vmid, restored);
					return this.task(who, path.node, 'vzrestore', String(vmid), this.options.vzdumpMs, (log) => {
						if (backup!.kind !== 'lxc') {
							// recover_config reads ./etc/vzdump/pct.conf from the tar; a VM's vma has none (wording ours).
							if (existing) existing.lock = undefined;
							if (existing) this.vms.set(vmid, existing);
							else this.vms.delete(vmid);
							throw new Error(`unable to restore CT ${vmid} - archive holds no container configuration`);
						}
						log(`recovering backed-up configuration from '${backup!.volid}'`);
						log(`restoring '${backup!.volid}' now..`);
						restored.config = {
							...backup!.config,
							rootfs: `${params.storage ?? 'local-lvm'}:vm-${vmid}-disk-0,size=8G`,
						};
						if (backup!.config.template) {
							restored.template = true;
							log('Convert restored container to template...');
						}
						delete restored.lock;
						if (isTrue(params.start) && !restored.template) boot(restored);
					});
				}
				if (params.ostemplate !== 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst') {
					fail(500, `volume '${params.ostemplate}' does not exist`);
				}
				const ct = this.addVm({ kind: 'lxc', vmid, node: path.node, name: params.hostname ?? `CT${vmid}` });
				for (const [key, value] of Object.entries(params)) {
					if (['vmid', 'ostemplate', 'password', 'ssh-public-keys', 'storage', 'start', 'pool'].includes(key))
						continue;
					ct.config[key] = value;
				}
				ct.lock = 'create';
				return this.task(who, path.node, 'vzcreate', String(vmid), this.options.taskMs, (log) => {
					delete ct.lock;
					log(`extracting archive '/var/lib/vz/template/cache/debian-12-standard_12.7-1_amd64.tar.zst'`);
					if (isTrue(params.start)) boot(ct);
				});
			},
		);

		this.route('GET', '/nodes/{node}/lxc/{vmid}/status/current', {}, ({ path, who }) => {
			const ct = this.vm(path.node, path.vmid, 'lxc');
			this.need(who, `/vms/${ct.vmid}`, 'VM.Audit');
			return ctResource(ct);
		});
		this.route(
			'GET',
			'/nodes/{node}/lxc/{vmid}/config',
			{ current: optional(boolean), snapshot: optional(configId) },
			({ path, who }) => {
				const ct = this.vm(path.node, path.vmid, 'lxc');
				this.need(who, `/vms/${ct.vmid}`, 'VM.Audit');
				return {
					...ct.config,
					...(ct.lock ? { lock: ct.lock } : {}),
					digest: randomBytes(20).toString('hex'),
				};
			},
		);
		// PUT /nodes/{node}/lxc/{vmid}/config — synchronous, answers null.
		this.route('PUT', '/nodes/{node}/lxc/{vmid}/config', ctConfigSpec, ({ path, params, who }) => {
			const ct = this.vm(path.node, path.vmid, 'lxc');
			this.need(who, `/vms/${ct.vmid}`, 'VM.Config.Options');
			this.checkLock(ct);
			for (const [key, value] of Object.entries(params)) {
				if (!['delete', 'digest'].includes(key)) ct.config[key] = value;
			}
			for (const key of (params.delete ?? '').split(/[,;\s]+/).filter(Boolean)) delete ct.config[key];
			return null;
		});

		// POST /nodes/{node}/lxc/{vmid}/status/{start|stop|shutdown|reboot} (pve-container PVE/API2/LXC/Status.pm):
		// before fork_worker only "CT n already running" (start) or "CT n not running" (stop, shutdown; reboot says
		// "VM n not running"); inside the task start refuses a template, and start/stop check the lock unless
		// skiplock (or the lock is "mounted"), shutdown always. Only start and stop take skiplock.
		const ctPower = (
			action: string,
			spec: Record<string, ParamSpec>,
			run: (ct: SimVm, params: Record<string, string>) => void,
			precheck: (ct: SimVm) => void,
		) =>
			this.route('POST', `/nodes/{node}/lxc/{vmid}/status/${action}`, spec, ({ path, params, who }) => {
				const ct = this.vm(path.node, path.vmid, 'lxc');
				this.need(who, `/vms/${ct.vmid}`, 'VM.PowerMgmt');
				precheck(ct);
				return this.task(who, ct.node, `vz${action}`, String(ct.vmid), this.options.taskMs, () =>
					run(ct, params),
				);
			});
		const ctUnlocked = (ct: SimVm, params: Record<string, string>) => {
			if (ct.lock && ct.lock !== 'mounted' && !isTrue(params.skiplock))
				throw new Error(`CT ${ct.vmid} is locked (${ct.lock})`);
		};
		const ctRunning = (ct: SimVm, word = 'CT') => {
			if (ct.status !== 'running') fail(500, `${word} ${ct.vmid} not running`);
		};
		ctPower(
			'start',
			{ skiplock: optional(boolean), debug: optional(boolean) },
			(ct, params) => {
				if (ct.template) throw new Error("you can't start a CT if it's a template");
				ctUnlocked(ct, params);
				boot(ct);
			},
			(ct) => {
				if (ct.status === 'running') fail(500, `CT ${ct.vmid} already running`);
			},
		);
		ctPower(
			'stop',
			{ skiplock: optional(boolean), 'overrule-shutdown': optional(boolean) },
			(ct, params) => {
				ctUnlocked(ct, params);
				halt(ct);
			},
			(ct) => ctRunning(ct),
		);
		ctPower(
			'shutdown',
			{ timeout: optional(integer(0)), forceStop: optional(boolean) },
			(ct) => {
				ctUnlocked(ct, {});
				halt(ct);
			},
			(ct) => ctRunning(ct),
		);
		ctPower('reboot', { timeout: optional(integer(0)) }, boot, (ct) => ctRunning(ct, 'VM'));

		// POST /nodes/{node}/lxc/{vmid}/status/suspend (pve-container vm_suspend, "experimental"): "CT n not
		// running" unless it runs; the vzsuspend task checks the lock and runs lxc-checkpoint -s, which saves the
		// state and stops the container.
		this.route('POST', '/nodes/{node}/lxc/{vmid}/status/suspend', {}, ({ path, who }) => {
			const ct = this.vm(path.node, path.vmid, 'lxc');
			this.need(who, `/vms/${ct.vmid}`, 'VM.PowerMgmt');
			if (ct.status !== 'running') fail(500, `CT ${ct.vmid} not running`);
			return this.task(who, ct.node, 'vzsuspend', String(ct.vmid), this.options.taskMs, () => {
				if (ct.lock) throw new Error(`CT ${ct.vmid} is locked (${ct.lock})`);
				halt(ct);
				ct.checkpoint = true;
			});
		});
		// POST .../status/resume (vm_resume): "CT n already running" when it runs; the vzresume task restores the
		// checkpoint (lxc-checkpoint -r), which fails when the container was never suspended.
		this.route('POST', '/nodes/{node}/lxc/{vmid}/status/resume', {}, ({ path, who }) => {
			const ct = this.vm(path.node, path.vmid, 'lxc');
			this.need(who, `/vms/${ct.vmid}`, 'VM.PowerMgmt');
			if (ct.status === 'running') fail(500, `CT ${ct.vmid} already running`);
			return this.task(who, ct.node, 'vzresume', String(ct.vmid), this.options.taskMs, () => {
				if (!ct.checkpoint)
					throw new Error(
						`command 'lxc-checkpoint -n ${ct.vmid} -r --foreground -D /var/lib/vz/dump' failed: exit code 1`,
					);
				ct.checkpoint = false;
				boot(ct);
			});
		});

		// POST /nodes/{node}/lxc/{vmid}/template (pve-container "template"): answers null (returns => null) although
		// it forks a "vztemplate" task; refuses a locked CT, one with snapshots, a template, a running CT, and
		// volumes on directory storage, in this order.
		this.route('POST', '/nodes/{node}/lxc/{vmid}/template', {}, ({ path, who }) => {
			const ct = this.vm(path.node, path.vmid, 'lxc');
			this.need(who, `/vms/${ct.vmid}`, 'VM.Allocate');
			this.checkLock(ct);
			if (ct.snapshots.size > 0) fail(500, 'unable to create template, because CT contains snapshots');
			if (ct.template) fail(500, "you can't convert a template to a template");
			if (ct.status === 'running') fail(500, "you can't convert a CT to template if the CT is running");
			const sid = String(ct.config.rootfs ?? '').split(':')[0];
			if (this.storages(ct.node).find((entry) => entry.storage === sid)?.type === 'dir')
				fail(500, `Directory storage '${sid}' does not support container templates!`);
			this.task(who, ct.node, 'vztemplate', String(ct.vmid), this.options.taskMs, () => {
				ct.template = true;
				ct.config.template = 1;
			});
			return null;
		});

		// POST /nodes/{node}/lxc/{vmid}/migrate (pve-container migrate_vm + PVE::LXC::Migrate): target is a 400
		// when it is this node; a running CT needs online or restart; the vzmigrate task then refuses a locked CT
		// and live migration ("not implemented" for containers); restart mode shuts the CT down, moves it and
		// starts it on the target. The CT is locked "migrate" meanwhile.
		this.route(
			'POST',
			'/nodes/{node}/lxc/{vmid}/migrate',
			{
				target: required(nodeName),
				'target-storage': optional(string()),
				online: optional(boolean),
				restart: optional(boolean),
				timeout: optional(integer()),
				bwlimit: optional(pattern(/^\d+(\.\d+)?$/, "type check ('number') failed - got '%s'")),
			},
			({ path, params, who }) => {
				this.node(path.node);
				if (params.target === path.node)
					fail(400, 'Parameter verification failed.', { target: 'target is local node.' });
				if (!this.nodes.includes(params.target)) fail(500, `no such cluster node '${params.target}'`);
				const ct = this.vm(path.node, path.vmid, 'lxc');
				this.need(who, `/vms/${ct.vmid}`, 'VM.Migrate');
				if (ct.status === 'running' && !isTrue(params.online) && !isTrue(params.restart))
					fail(500, "can't migrate running container without --online or --restart");
				const target = params.target;
				const started = Date.now();
				// prepare() runs as the task starts: judge the CT now, lock it "migrate" for the task's duration.
				let problem: string | undefined;
				if (ct.lock) problem = `CT ${ct.vmid} is locked (${ct.lock})`;
				else if (ct.status === 'running' && isTrue(params.online))
					problem = 'lxc live migration is currently not implemented';
				else if (ct.status === 'running' && !isTrue(params.restart))
					problem = 'running container can only be migrated in restart mode';
				if (!problem) ct.lock = 'migrate';
				return this.task(who, ct.node, 'vzmigrate', String(ct.vmid), this.options.taskMs, (log) => {
					const duration = () =>
						`00:00:${String(Math.floor((Date.now() - started) / 1000)).padStart(2, '0')}`;
					log(
						`starting migration of CT ${ct.vmid} to node '${target}' (192.168.1.${11 + this.nodes.indexOf(target)})`,
					);
					if (problem) {
						log(`ERROR: migration aborted (duration ${duration()}): ${problem}`);
						throw new Error('migration aborted');
					}
					const wasRunning = ct.status === 'running';
					if (wasRunning) {
						log(`shutdown CT ${ct.vmid}`);
						halt(ct);
					}
					log(`found local volume '${String(ct.config.rootfs).split(',')[0]}' (in current VM config)`);
					ct.node = target;
					delete ct.lock;
					if (wasRunning) {
						log('start container on target node');
						boot(ct);
					}
					log(`migration finished successfully (duration ${duration()})`);
				});
			},
		);

		// POST /nodes/{node}/lxc/{vmid}/clone — newid, hostname, full, target, storage; the new CT is locked.
		this.route(
			'POST',
			'/nodes/{node}/lxc/{vmid}/clone',
			{
				newid: required(vmidCheck),
				hostname: optional(dnsName),
				description: optional(string(8192)),
				full: optional(boolean),
				target: optional(nodeName),
				storage: optional(storageId),
				pool: optional(string()),
				snapname: optional(configId),
				bwlimit: optional(integer(0)),
			},
			({ path, params, who }) => {
				const source = this.vm(path.node, path.vmid, 'lxc');
				this.need(who, `/vms/${source.vmid}`, 'VM.Clone');
				this.need(who, `/vms/${params.newid}`, 'VM.Allocate');
				const target = params.target ? this.node(params.target) : source.node;
				const newid = Number(params.newid);
				if (this.vms.has(newid)) fail(500, `unable to create CT ${newid} - container already exists`);
				const full = params.full === undefined ? !source.template : isTrue(params.full);
				if (!full && !source.template)
					fail(500, 'linked clone of a container is only possible from a template');
				this.checkLock(source);
				this.counters.clone++;
				const clone = this.addVm({
					kind: 'lxc',
					vmid: newid,
					node: target,
					name: params.hostname ?? `copy-of-${String(source.config.hostname)}`,
				});
				clone.config = { ...source.config, hostname: clone.config.hostname };
				delete clone.config.template;
				clone.lock = 'create';
				source.lock = 'disk';
				return this.task(who, source.node, 'vzclone', String(source.vmid), this.options.cloneMs, () => {
					delete source.lock;
					delete clone.lock;
				});
			},
		);

		// DELETE /nodes/{node}/lxc/{vmid} — vzdestroy; a running container cannot be destroyed.
		this.route(
			'DELETE',
			'/nodes/{node}/lxc/{vmid}',
			{ purge: optional(boolean), force: optional(boolean), 'destroy-unreferenced-disks': optional(boolean) },
			({ path, params, who }) => {
				const ct = this.vm(path.node, path.vmid, 'lxc');
				this.need(who, `/vms/${ct.vmid}`, 'VM.Allocate');
				this.checkLock(ct);
				if (ct.status === 'running' && !isTrue(params.force)) {
					fail(500, `unable to destroy CT ${ct.vmid} - container is running`);
				}
				return this.task(who, ct.node, 'vzdestroy', String(ct.vmid), this.options.taskMs, () =>
					this.vms.delete(ct.vmid),
				);
			},
		);

		// GET /nodes/{node}/lxc/{vmid}/interfaces — addresses as the host sees them (no guest agent needed).
		this.route('GET', '/nodes/{node}/lxc/{vmid}/interfaces', {}, ({ path, who }) => {
			const ct = this.vm(path.node, path.vmid, 'lxc');
			this.need(who, `/vms/${ct.vmid}`, 'VM.Audit');
			if (ct.status !== 'running') fail(500, `CT ${ct.vmid} not running`);
			const ip =
				/ip=([\d.]+\/\d+)/.exec(String(ct.config.net0 ?? ''))?.[1] ??
				`192.168.100.${(ct.vmid % 200) + 20}/24`;
			return [
				{ name: 'lo', hwaddr: '00:00:00:00:00:00', inet: '127.0.0.1/8', inet6: '::1/128' },
				{ name: 'eth0', hwaddr: 'bc:24:11:00:00:01', inet: ip, inet6: 'fe80::be24:11ff:fe00:1/64' },
			];
		});
	}
}

/** Starts a simulator on a free loopback port (HTTPS, self-signed). */
export async function startProxmoxSimulator(
	options: ProxmoxSimulatorOptions = {},
): Promise<ProxmoxSimulator> {
	const simulator = new ProxmoxSimulator(options);
	await simulator.start();
	return simulator;
}
