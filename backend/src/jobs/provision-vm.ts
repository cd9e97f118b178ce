import {
	assertCloudInitUser,
	assertIpv4Cidr,
	assertIpv4Gateway,
	assertNameservers,
	assertSshKey,
	assertStorageId,
	GUEST_IP_TIMEOUT_MS,
	assertIpConfig,
	POLL_INTERVAL_MS,
} from '../../../clients/proxmox/validation';
import { ProxmoxInputError } from '../../../clients/proxmox/errors';
import { defineJob, PermanentError, type Json } from '../engine/types';
import { stackSchema, stackSteps, type StackSpec } from './deploy-stack';
import type { JobServices, ProxmoxOps } from './ops';
import { need, pollUntil } from './util';

export interface ProvisionVmInput {
	node: string;
	/** VMID of the template to clone */
	template: number;
	name: string;
	/** fixed VMID; otherwise the cluster's next free one is reserved (and journaled) */
	vmid?: number;
	full?: boolean;
	storage?: string;
	cores?: number;
	memoryMb?: number;
	/** absolute size of the boot disk, e.g. "32G" */
	diskSize?: string;
	disk?: string;
	cloudInit: {
		user: string;
		sshKeys?: string[];
		password?: string;
		/** "dhcp" or a CIDR like 192.168.1.50/24 */
		ip: string;
		gateway?: string;
		nameserver?: string;
	};
	ipTimeoutMs?: number;
	pollMs?: number;
	/** optional compose project deployed on the new VM (host = its IP unless given) */
	stack?: Omit<StackSpec, 'host'> & { host?: string };
}

const SIZE = /^(\d+)([KMGT])$/;
function sizeBytes(size: string): number {
	const match = SIZE.exec(size);
	if (!match) throw new PermanentError(`disk size ${size} is not like 32G`);
	return Number(match[1]) * 1024 ** ' KMGT'.indexOf(match[2]);
}

const pve = (services: JobServices): ProxmoxOps => need(services, 'proxmox');
/** the VMID the clone step used (it moves off a reserved VMID another job took first), else the reserved one */
const vmidOf = (results: Record<string, Json>) =>
	(results.clone as { vmid?: number } | undefined)?.vmid ??
	(results['reserve-vmid'] as { vmid: number }).vmid;

/** Proxmox's answers when a VMID got taken between GET /cluster/nextid and the clone (nextid reserves nothing) */
const TAKEN = /already exists|config file already exists/i;

/**
 * The checks the schema cannot say, with the Proxmox client's own validators (the node uses the same): a real
 * IPv4/CIDR, a gateway that is an address and nothing more (it lands in ipconfig0), one key per line, a storage
 * id that cannot be a path piece, a cloud-init user the guest accepts, DNS servers that are addresses.
 */
function validateProvisionInput(input: ProvisionVmInput): void {
	try {
		const ci = input.cloudInit;
		if (input.storage !== undefined) assertStorageId(input.storage, 'storage');
		assertCloudInitUser(ci.user, 'cloudInit.user');
		assertIpv4Cidr(ci.ip, 'cloudInit.ip');
		if (ci.gateway !== undefined) {
			assertIpv4Gateway(ci.gateway, 'cloudInit.gateway');
			if (ci.ip === 'dhcp')
				throw new ProxmoxInputError(
					'cloudInit.gateway needs a static cloudInit.ip',
					'cloudInit.gateway',
					'With ip "dhcp" the DHCP server gives the gateway: leave gateway out',
				);
		}
		ci.sshKeys?.forEach((key, index) => assertSshKey(key, `cloudInit.sshKeys[${index}]`));
		if (ci.nameserver !== undefined) assertNameservers(ci.nameserver, 'cloudInit.nameserver');
	} catch (error) {
		if (error instanceof ProxmoxInputError)
			throw new Error(`${error.message}${error.hint ? ` (${error.hint})` : ''}`);
		throw error;
	}
}

/** provision-vm: reserve VMID -> clone -> cloud-init -> resize -> start -> guest-agent IP -> optional stack. */
export const provisionVm = defineJob<ProvisionVmInput, JobServices>({
	type: 'provision-vm',
	description:
		'Clones a Proxmox VE template into a new VM, configures cloud-init, boots it and waits for its IP.',
	inputSchema: {
		type: 'object',
		required: ['node', 'template', 'name', 'cloudInit'],
		additionalProperties: false,
		properties: {
			node: { type: 'string', pattern: '^[a-zA-Z0-9][a-zA-Z0-9.-]{0,62}$' },
			template: { type: 'integer', minimum: 100, maximum: 999999999 },
			name: { type: 'string', pattern: '^[a-zA-Z0-9][a-zA-Z0-9.-]{0,62}$' },
			vmid: { type: 'integer', minimum: 100, maximum: 999999999 },
			full: { type: 'boolean' },
			storage: { type: 'string', minLength: 1, maxLength: 64 },
			cores: { type: 'integer', minimum: 1, maximum: 512 },
			memoryMb: { type: 'integer', minimum: 16 },
			diskSize: { type: 'string', pattern: SIZE.source },
			disk: { type: 'string', pattern: '^(scsi|virtio|sata|ide)\\d+$' },
			cloudInit: {
				type: 'object',
				required: ['user', 'ip'],
				additionalProperties: false,
				properties: {
					user: { type: 'string', minLength: 1, maxLength: 64 },
					sshKeys: {
						type: 'array',
						items: { type: 'string', minLength: 1, maxLength: 16_384 },
						maxItems: 64,
					},
					password: { type: 'string', minLength: 1, writeOnly: true },
					ip: { type: 'string', pattern: '^(dhcp|\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2})$' },
					gateway: { type: 'string', maxLength: 64 },
					nameserver: { type: 'string', maxLength: 512 },
				},
			},
			ipTimeoutMs: { type: 'integer', minimum: GUEST_IP_TIMEOUT_MS.min, maximum: GUEST_IP_TIMEOUT_MS.max },
			pollMs: { type: 'integer', minimum: POLL_INTERVAL_MS.min, maximum: POLL_INTERVAL_MS.max },
			stack: {
				...stackSchema,
				required: ['project', 'compose'],
			},
		},
	},
	validate: validateProvisionInput,
	locks: (input) => [`vm-name:${input.node}/${input.name}`, ...(input.vmid ? [`vm:${input.vmid}`] : [])],
	steps: (input) => [
		{
			name: 'reserve-vmid',
			run: async (ctx) => ({ vmid: ctx.input.vmid ?? (await pve(ctx.services).nextVmid()) }),
		},
		{
			name: 'clone',
			timeoutMs: 30 * 60_000,
			check: async (ctx) => {
				const saved = ctx.saved as { vmid?: number } | undefined;
				const vmid = saved?.vmid ?? vmidOf(ctx.results);
				const config = await pve(ctx.services).vmConfig(ctx.input.node, vmid);
				if (!config) return undefined;
				if (!String(config.description ?? '').includes(ctx.key)) {
					if (ctx.input.vmid !== undefined)
						throw new PermanentError(`VMID ${vmid} is taken by a guest this job did not create`);
					return undefined; // another job got this VMID first: run() moves to a free one
				}
				// a clone the crashed run started may still be copying: wait until Proxmox unlocks it
				await pollUntil(
					async () => ((await pve(ctx.services).vmConfig(ctx.input.node, vmid))?.lock ? undefined : true),
					ctx.input.pollMs ?? 2000,
					ctx.signal,
				);
				return { vmid, node: ctx.input.node, recovered: true };
			},
			run: async (ctx) => {
				const proxmox = pve(ctx.services);
				const fixed = ctx.input.vmid !== undefined;
				let vmid = (ctx.saved as { vmid?: number } | undefined)?.vmid ?? vmidOf(ctx.results);
				// GET /cluster/nextid reserves nothing: jobs running at once can be handed the same VMID. The one
				// that clones second finds it taken and moves on to the next free VMID (journaled before the clone,
				// so a resumed attempt looks for its clone under the right VMID).
				for (let tries = 0; ; tries++) {
					if (!fixed && (await proxmox.vmConfig(ctx.input.node, vmid))) vmid = await proxmox.nextVmid();
					await ctx.checkpoint({ vmid });
					try {
						const task = await proxmox.cloneVm({
							node: ctx.input.node,
							templateVmid: ctx.input.template,
							newVmid: vmid,
							name: ctx.input.name,
							description: `created by homelab-backend (${ctx.key})`,
							full: ctx.input.full ?? true,
							storage: ctx.input.storage,
						});
						await ctx.checkpoint({ vmid, task: { node: task.node, upid: task.upid } });
						await ctx.progress(`cloning template ${ctx.input.template} into VM ${vmid}`, { upid: task.upid });
						await proxmox.waitTask(task, ctx.signal);
						return { vmid, node: ctx.input.node };
					} catch (error) {
						if (fixed || tries >= 20 || !TAKEN.test(error instanceof Error ? error.message : String(error)))
							throw error;
					}
				}
			},
		},
		{
			name: 'cloud-init',
			run: async (ctx) => {
				const ci = ctx.input.cloudInit;
				const config: Record<string, string | number> = {
					ciuser: ci.user,
					// checked again as a whole: whatever reaches Proxmox is one well-formed ipconfig0
					ipconfig0: assertIpConfig(
						ci.ip === 'dhcp'
							? 'ip=dhcp'
							: `ip=${ci.ip.trim()}${ci.gateway ? `,gw=${ci.gateway.trim()}` : ''}`,
					),
				};
				// Proxmox wants sshkeys URL-encoded (newline-separated keys)
				if (ci.sshKeys?.length) config.sshkeys = encodeURIComponent(ci.sshKeys.join('\n'));
				if (ci.password) config.cipassword = ci.password;
				if (ci.nameserver) config.nameserver = ci.nameserver;
				if (ctx.input.cores) config.cores = ctx.input.cores;
				if (ctx.input.memoryMb) config.memory = ctx.input.memoryMb;
				await pve(ctx.services).setVmConfig(ctx.input.node, vmidOf(ctx.results), config);
				return { ipconfig0: config.ipconfig0 };
			},
		},
		{
			name: 'resize-disk',
			when: (ctx) => ctx.input.diskSize !== undefined,
			check: async (ctx) => {
				const disk = ctx.input.disk ?? 'scsi0';
				const current = await pve(ctx.services).diskSizeBytes(ctx.input.node, vmidOf(ctx.results), disk);
				return current !== undefined && current >= sizeBytes(ctx.input.diskSize!)
					? { disk, size: ctx.input.diskSize! }
					: undefined;
			},
			run: async (ctx) => {
				const disk = ctx.input.disk ?? 'scsi0';
				await pve(ctx.services).resizeDisk(ctx.input.node, vmidOf(ctx.results), disk, ctx.input.diskSize!);
				return { disk, size: ctx.input.diskSize! };
			},
		},
		{
			name: 'start',
			check: async (ctx) =>
				(await pve(ctx.services).vmStatus(ctx.input.node, vmidOf(ctx.results))) === 'running'
					? { status: 'running' }
					: undefined,
			run: async (ctx) => {
				const proxmox = pve(ctx.services);
				await proxmox.waitTask(await proxmox.startVm(ctx.input.node, vmidOf(ctx.results)), ctx.signal);
				return { status: 'running' };
			},
		},
		{
			name: 'wait-ip',
			timeoutMs: input.ipTimeoutMs ?? 10 * 60_000,
			retry: { maxAttempts: 1 },
			run: async (ctx) => {
				const ips = await pollUntil(
					async () => {
						const found = await pve(ctx.services)
							.guestIpv4(ctx.input.node, vmidOf(ctx.results))
							.catch(() => [] as string[]);
						const usable = found.filter((ip) => !ip.startsWith('127.') && !ip.startsWith('169.254.'));
						return usable.length ? usable : undefined;
					},
					ctx.input.pollMs ?? 3000,
					ctx.signal,
				);
				return { ip: ips[0], ips };
			},
		},
		...stackSteps<ProvisionVmInput>(
			(spec, results) => ({
				...spec.stack!,
				host: spec.stack!.host ?? (results['wait-ip'] as { ip: string }).ip,
			}),
			'stack-',
			(spec) => spec.stack !== undefined,
		),
	],
	result: (results, input) => ({
		vmid: vmidOf(results),
		node: input.node,
		name: input.name,
		ip: (results['wait-ip'] as { ip: string }).ip,
		...(input.stack ? { stack: results['stack-health-wait'] } : {}),
	}),
});
