// backup-run's restore-verify: proves one guest's new archive restores and boots. On by default, one guest per
// run in rotation. The restored copy boots in a scratch VMID with its network links down (it must not answer
// on the LAN as the original), counts as booted when its guest agent answers, and is destroyed afterwards even
// when the restore or the boot failed; only then does a failure fail the job.
import { GUEST_IP_TIMEOUT_MS } from '../../../clients/proxmox/validation';
import { PermanentError, type Json, type StepContext, type StepDefinition } from '../engine/types';
import { sleep } from '../../../shared/timing';
import type { JobServices, ProxmoxOps, ProxmoxTask } from './ops';
import { need } from './util';

export const DEFAULT_SCRATCH_VMID = 9999;
/** what this backend writes into the scratch VM's description: a VM without it is never touched */
export const SCRATCH_MARKER = 'homelab-backend restore-verify';

export interface RestoreVerifySettings {
	/** this guest instead of the rotation */
	vmid?: number;
	/** the guests that take turns, one per run (day by day); default: every guest of the run */
	vmids?: number[];
	/** where the copy is restored; refused when a guest this backend did not create has it (default 9999) */
	scratchVmid?: number;
	/** how long the restored VM may take until its guest agent answers (default 10 min) */
	ipTimeoutMs?: number;
}

interface RunInput {
	node: string;
	vmids: number[];
	restoreVerify?: RestoreVerifySettings | false;
	pollMs?: number;
}

export const restoreVerifySchema = {
	anyOf: [
		{ const: false },
		{
			type: 'object',
			additionalProperties: false,
			properties: {
				vmid: { type: 'integer', minimum: 100, maximum: 999999999 },
				vmids: {
					type: 'array',
					minItems: 1,
					maxItems: 500,
					uniqueItems: true,
					items: { type: 'integer', minimum: 100, maximum: 999999999 },
				},
				scratchVmid: { type: 'integer', minimum: 100, maximum: 999999999 },
				ipTimeoutMs: { type: 'integer', minimum: GUEST_IP_TIMEOUT_MS.min, maximum: GUEST_IP_TIMEOUT_MS.max },
			},
		},
	],
};

const settingsOf = (input: RunInput): RestoreVerifySettings | undefined =>
	input.restoreVerify === false ? undefined : (input.restoreVerify ?? {});
export const scratchOf = (input: RunInput): number | undefined =>
	input.restoreVerify === false ? undefined : (settingsOf(input)!.scratchVmid ?? DEFAULT_SCRATCH_VMID);

/** Refusals the API answers with 400: a guest to verify that this run does not back up, a scratch VMID in use. */
export function validateRestoreVerify(input: RunInput): void {
	const settings = settingsOf(input);
	if (!settings) return;
	const backedUp = new Set(input.vmids);
	if (settings.vmid !== undefined && settings.vmids !== undefined)
		throw new Error('restoreVerify: give either vmid (one guest) or vmids (guests taking turns), not both');
	const notBackedUp = [settings.vmid ?? [], settings.vmids ?? []]
		.flat()
		.filter((vmid) => !backedUp.has(vmid));
	if (notBackedUp.length)
		throw new Error(
			`restoreVerify: guest ${notBackedUp.join(', ')} is not backed up by this run (vmids: ${input.vmids.join(', ')}); only a new archive is verified`,
		);
	const scratch = scratchOf(input)!;
	if (backedUp.has(scratch))
		throw new Error(
			`restoreVerify.scratchVmid ${scratch} is a guest this run backs up; the scratch VMID must be free (default ${DEFAULT_SCRATCH_VMID})`,
		);
}

type Ctx = StepContext<RunInput, JobServices>;
const pve = (ctx: Ctx): ProxmoxOps => need(ctx.services, 'proxmox');
const picked = (ctx: Ctx) => ctx.results['restore-verify-pick'] as { vmid: number | null; volid?: string };
const restored = (ctx: Ctx) =>
	ctx.results['restore-verify-restore'] as
		| { created: boolean; restored: boolean; error?: string }
		| undefined;
const booted = (ctx: Ctx) =>
	ctx.results['restore-verify-boot'] as { booted: boolean; error?: string; ips?: string[] };
const newArchive = (ctx: Ctx, vmid: number) => (ctx.results[`vzdump-${vmid}`] as { volid: string }).volid;
const isVmArchive = (volid: string) => /(?:^|\/)vzdump-qemu-/.test(volid);
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The guest of this run: the named one, else the VM archives of the candidates taking turns by day. */
function pick(ctx: Ctx): Json {
	const settings = settingsOf(ctx.input)!;
	if (settings.vmid !== undefined) {
		const volid = newArchive(ctx, settings.vmid);
		if (!isVmArchive(volid))
			throw new PermanentError(
				`restore-verify restores VMs; ${volid} is not a VM archive (a container's archive is checked by reading its config)`,
			);
		return { vmid: settings.vmid, volid };
	}
	const candidates = (settings.vmids ?? ctx.input.vmids).filter((vmid) => isVmArchive(newArchive(ctx, vmid)));
	if (!candidates.length)
		return {
			vmid: null,
			skipped: 'no VM among the guests (containers are checked by reading their archive)',
		};
	const vmid = candidates[Math.floor(Date.now() / 86_400_000) % candidates.length];
	return { vmid, volid: newArchive(ctx, vmid), rotation: candidates };
}

/** The scratch VMID is free, or holds a leftover of an earlier restore-verify (removed); anything else is refused. */
async function clearScratch(ctx: Ctx): Promise<Json> {
	const proxmox = pve(ctx);
	const scratch = scratchOf(ctx.input)!;
	const config = await proxmox.vmConfig(ctx.input.node, scratch);
	if (!config) return { free: true };
	if (!String(config.description ?? '').includes(SCRATCH_MARKER))
		throw new PermanentError(
			`restore-verify: VMID ${scratch} on ${ctx.input.node} belongs to a guest this backend did not create (${String(config.name ?? 'no name')}); it is left alone: set restoreVerify.scratchVmid to a free VMID`,
		);
	await destroy(ctx, scratch);
	return { free: true, removedLeftover: scratch };
}

async function destroy(ctx: Ctx, vmid: number): Promise<void> {
	const proxmox = pve(ctx);
	if ((await proxmox.vmStatus(ctx.input.node, vmid)) !== 'stopped')
		await proxmox.waitTask(await proxmox.stopVm(ctx.input.node, vmid), ctx.signal);
	await proxmox.waitTask(await proxmox.destroyVm(ctx.input.node, vmid), ctx.signal);
}

/** Waits for the restore task; a task that fails is a result (the half-restored VM is still destroyed). */
async function settleRestore(ctx: Ctx, task: ProxmoxTask): Promise<Json> {
	try {
		await pve(ctx).waitTask(task, ctx.signal);
		return { created: true, restored: true, from: picked(ctx).volid! };
	} catch (error) {
		if (ctx.signal.aborted) throw error;
		return { created: true, restored: false, from: picked(ctx).volid!, error: message(error) };
	}
}

/** Marks the copy as ours, takes it off the network and off boot-at-host-start, starts it, waits for its agent. */
async function boot(ctx: Ctx, timeoutMs: number): Promise<Json> {
	const proxmox = pve(ctx);
	const { node } = ctx.input;
	const scratch = scratchOf(ctx.input)!;
	const deadline = Date.now() + timeoutMs;
	try {
		const config = (await proxmox.vmConfig(node, scratch)) ?? {};
		const isolated = Object.fromEntries(
			Object.entries(config)
				.filter(([key, value]) => /^net\d+$/.test(key) && !/(?:^|,)link_down=1(?:,|$)/.test(String(value)))
				.map(([key, value]) => [key, `${String(value)},link_down=1`]),
		);
		await proxmox.setVmConfig(node, scratch, {
			description: `${SCRATCH_MARKER} ${ctx.key}: copy of ${picked(ctx).vmid} from ${picked(ctx).volid}`,
			onboot: 0,
			...isolated,
		});
		if ((await proxmox.vmStatus(node, scratch)) === 'stopped')
			await proxmox.waitTask(await proxmox.startVm(node, scratch), ctx.signal);
		for (;;) {
			const ips = await proxmox.guestIpv4(node, scratch).catch(() => undefined);
			if (ips) return { booted: true, ips };
			if (Date.now() > deadline)
				return {
					booted: false,
					error: `its guest agent did not answer within ${Math.round(timeoutMs / 1000)} s`,
				};
			await sleep(ctx.input.pollMs ?? 3000, ctx.signal);
		}
	} catch (error) {
		if (ctx.signal.aborted) throw error;
		return { booted: false, error: message(error) };
	}
}

export function restoreVerifySteps(input: RunInput): Array<StepDefinition<RunInput, JobServices>> {
	const settings = settingsOf(input);
	if (!settings) return [];
	const timeoutMs = settings.ipTimeoutMs ?? 10 * 60_000;
	const chosen = (ctx: Ctx) => picked(ctx).vmid !== null;
	return [
		{ name: 'restore-verify-pick', run: async (ctx) => pick(ctx) },
		{ name: 'restore-verify-scratch', when: chosen, run: clearScratch },
		{
			name: 'restore-verify-restore',
			when: chosen,
			// a restore an interrupted attempt started (its UPID checkpointed, or still running): wait for it
			check: async (ctx) => {
				const saved = (ctx.saved as { task?: ProxmoxTask } | undefined)?.task;
				if (saved) return await settleRestore(ctx, saved);
				const scratch = scratchOf(ctx.input)!;
				const [active] = await pve(ctx).activeTasks(ctx.input.node, 'qmrestore', scratch);
				if (active) return await settleRestore(ctx, active);
				// finished before the UPID was journaled: the restored config carries this step's key
				const config = await pve(ctx).vmConfig(ctx.input.node, scratch);
				return String(config?.description ?? '').includes(ctx.key)
					? { created: true, restored: true, from: picked(ctx).volid!, recovered: true }
					: undefined;
			},
			run: async (ctx) => {
				const task = await pve(ctx).restoreVm({
					node: ctx.input.node,
					vmid: scratchOf(ctx.input)!,
					archive: picked(ctx).volid!,
					description: `${SCRATCH_MARKER} ${ctx.key}: copy of ${picked(ctx).vmid} from ${picked(ctx).volid}`,
				});
				await ctx.checkpoint({ task: { node: task.node, upid: task.upid } });
				return await settleRestore(ctx, task);
			},
		},
		{
			name: 'restore-verify-boot',
			when: (ctx) => chosen(ctx) && restored(ctx)!.restored,
			timeoutMs: timeoutMs + 10 * 60_000,
			run: async (ctx) => await boot(ctx, timeoutMs),
		},
		{
			name: 'restore-verify-destroy',
			// also after a failed restore or boot: qemu-server leaves a half-restored VM in place
			when: (ctx) => chosen(ctx) && restored(ctx)!.created,
			check: async (ctx) =>
				(await pve(ctx).vmConfig(ctx.input.node, scratchOf(ctx.input)!)) === undefined
					? { destroyed: true }
					: undefined,
			run: async (ctx) => {
				await destroy(ctx, scratchOf(ctx.input)!);
				return { destroyed: true };
			},
		},
		{
			name: 'restore-verify-result',
			when: chosen,
			run: async (ctx) => {
				const { vmid, volid } = picked(ctx);
				const restore = restored(ctx)!;
				const scratch = scratchOf(ctx.input)!;
				const why = !restore.restored
					? `the restore failed: ${restore.error}`
					: !booted(ctx).booted
						? `the restored VM did not boot: ${booted(ctx).error}`
						: undefined;
				if (why)
					throw new PermanentError(
						`restore-verify of ${vmid} from ${volid}: ${why} (scratch VM ${scratch} destroyed)`,
					);
				const ips = (booted(ctx).ips ?? []).filter((ip) => !ip.startsWith('127.'));
				return {
					vmid,
					volid: volid!,
					scratchVmid: scratch,
					booted: true,
					...(ips.length ? { ip: ips[0] } : {}),
				};
			},
		},
	];
}

/** The job result's restoreVerify: what was verified, why nothing was, or null when switched off. */
export function restoreVerifyResult(results: Record<string, Json>, input: RunInput): Json {
	if (!settingsOf(input)) return null;
	const choice = results['restore-verify-pick'] as { vmid: number | null; skipped?: string } | undefined;
	if (choice && choice.vmid === null) return { skipped: choice.skipped ?? 'nothing to verify' };
	return results['restore-verify-result'] ?? null;
}
