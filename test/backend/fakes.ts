// In-memory stand-ins for the ProxmoxOps / DockerOps the jobs use, counting what they create. Tasks run in the
// background like Proxmox's: they keep going when the engine that started them stops.
import type {
	BackupArchive,
	ComposeServiceState,
	DockerOps,
	ProxmoxOps,
	ProxmoxTask,
} from '../../backend/src/jobs/ops';
import { stackHash } from '../../backend/src/jobs/deploy-stack';

interface Vm {
	config: Record<string, string | number>;
	status: 'running' | 'stopped';
	disks: Record<string, number>;
}

const GiB = 1024 ** 3;

export class FakeProxmox implements ProxmoxOps {
	readonly vms = new Map<number, Vm>();
	backups: BackupArchive[] = [];
	clones = 0;
	vzdumps = 0;
	restores = 0;
	destroyed: number[] = [];
	private tasks = new Map<string, Promise<void>>();
	/** running tasks: upid -> [type, vmid] */
	private active = new Map<string, [string, number]>();
	private n = 0;

	constructor(private readonly taskMs = 30) {
		this.vms.set(9000, {
			config: { name: 'debian-12-template', template: 1 },
			status: 'stopped',
			disks: { scsi0: 2 * GiB },
		});
	}

	private task(node: string, fn: () => void, type = 'task', vmid = 0): ProxmoxTask {
		const upid = `UPID:${node}:${++this.n}:${type}:${vmid}`;
		this.active.set(upid, [type, vmid]);
		this.tasks.set(
			upid,
			new Promise<void>((resolve) =>
				setTimeout(() => {
					fn();
					this.active.delete(upid);
					resolve();
				}, this.taskMs),
			),
		);
		return { node, upid };
	}

	activeTasks = async (node: string, type: string, vmid: number) =>
		[...this.active]
			.filter(([, [taskType, taskVmid]]) => taskType === type && taskVmid === vmid)
			.map(([upid]) => ({ node, upid }));

	private vm(vmid: number): Vm {
		const vm = this.vms.get(vmid);
		if (!vm) throw new Error(`Configuration file 'nodes/pve/qemu-server/${vmid}.conf' does not exist`);
		return vm;
	}

	nextVmid = async () => {
		let vmid = 100;
		while (this.vms.has(vmid)) vmid++;
		return vmid;
	};
	vmConfig = async (_node: string, vmid: number) => {
		const vm = this.vms.get(vmid);
		return vm ? { ...vm.config } : undefined;
	};
	cloneVm: ProxmoxOps['cloneVm'] = async (args) => {
		const template = this.vm(args.templateVmid);
		if (this.vms.has(args.newVmid)) throw new Error(`VM ${args.newVmid} already exists`);
		this.clones++;
		const vm: Vm = {
			config: { name: args.name, description: args.description, lock: 'clone' },
			status: 'stopped',
			disks: { ...template.disks },
		};
		this.vms.set(args.newVmid, vm);
		return this.task(args.node, () => delete vm.config.lock);
	};
	waitTask = async (task: ProxmoxTask, signal: AbortSignal) => {
		const done = this.tasks.get(task.upid);
		if (!done) throw new Error(`no task ${task.upid}`);
		await Promise.race([
			done,
			new Promise((_, reject) =>
				signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }),
			),
		]);
	};
	setVmConfig = async (_node: string, vmid: number, config: Record<string, string | number>) => {
		const vm = this.vm(vmid);
		if (vm.config.lock) throw new Error(`VM ${vmid} is locked (${vm.config.lock})`);
		Object.assign(vm.config, config);
	};
	resizeDisk = async (_node: string, vmid: number, disk: string, size: string) => {
		this.vm(vmid).disks[disk] = Number(size.slice(0, -1)) * GiB;
	};
	diskSizeBytes = async (_node: string, vmid: number, disk: string) => this.vm(vmid).disks[disk];
	vmStatus = async (_node: string, vmid: number) => this.vm(vmid).status;
	startVm = async (node: string, vmid: number) => {
		const vm = this.vm(vmid);
		return this.task(node, () => (vm.status = 'running'));
	};
	stopVm = async (node: string, vmid: number) => {
		const vm = this.vm(vmid);
		return this.task(node, () => (vm.status = 'stopped'));
	};
	destroyVm = async (node: string, vmid: number) =>
		this.task(node, () => {
			this.vms.delete(vmid);
			this.destroyed.push(vmid);
		});
	guestIpv4 = async (_node: string, vmid: number) =>
		this.vm(vmid).status === 'running' ? ['127.0.0.1', `10.0.${Math.floor(vmid / 250)}.${vmid % 250}`] : [];
	vzdump: ProxmoxOps['vzdump'] = async (args) => {
		this.vm(args.vmid);
		this.vzdumps++;
		const n = this.n + 1;
		return this.task(
			args.node,
			() =>
				this.backups.push({
					volid: `${args.storage}:backup/vzdump-qemu-${args.vmid}-${n}.vma.zst`,
					vmid: args.vmid,
					ctime: Math.floor(Date.now() / 1000),
					size: 1234,
					notes: args.notes,
				}),
			'vzdump',
			args.vmid,
		);
	};
	listBackups = async (_node: string, storage: string, vmid?: number) =>
		this.backups.filter((b) => b.volid.startsWith(`${storage}:`) && (vmid === undefined || b.vmid === vmid));
	deleteBackup = async (_node: string, _storage: string, volid: string) => {
		this.backups = this.backups.filter((b) => b.volid !== volid);
	};
	restoreVm: ProxmoxOps['restoreVm'] = async (args) => {
		if (this.vms.has(args.vmid)) throw new Error(`VM ${args.vmid} already exists`);
		this.restores++;
		const vm: Vm = {
			config: {
				lock: 'create',
				name: 'restored',
				...(args.description ? { description: args.description } : {}),
			},
			status: 'stopped',
			disks: { scsi0: GiB },
		};
		this.vms.set(args.vmid, vm);
		return this.task(args.node, () => delete vm.config.lock);
	};
	/** the guest config an archive holds, as GET .../vzdump/extractconfig answers it */
	archiveConfig = async (_node: string, volid: string) => {
		const archive = this.backups.find((b) => b.volid === volid);
		if (!archive) throw new Error(`volume '${volid}' does not exist`);
		return `name: vm${archive.vmid}\nmemory: 2048\nscsi0: local-lvm:vm-${archive.vmid}-disk-0,size=32G\n`;
	};
}

export class FakeDocker implements DockerOps {
	readonly projects = new Map<string, { hash: string; up: boolean; pulls: number }>();
	health = 'healthy';
	writes = 0;

	writeProject = async (host: string, project: string, compose: string, env?: Record<string, string>) => {
		this.writes++;
		const hash = stackHash({ compose, env });
		this.projects.set(`${host}/${project}`, { hash, up: false, pulls: 0 });
		return hash;
	};
	projectHash = async (host: string, project: string) => this.projects.get(`${host}/${project}`)?.hash;
	pull = async (host: string, project: string) => {
		this.projects.get(`${host}/${project}`)!.pulls++;
	};
	build = async () => undefined;
	up = async (host: string, project: string) => {
		this.projects.get(`${host}/${project}`)!.up = true;
	};
	services = async (host: string, project: string): Promise<ComposeServiceState[]> =>
		this.projects.get(`${host}/${project}`)?.up
			? [
					{ service: 'web', state: 'running', health: this.health },
					{ service: 'db', state: 'running' },
				]
			: [];
}
