import { assertStorageId, POLL_INTERVAL_MS } from '../../../clients/proxmox/validation';
import { defineJob, PermanentError, type Json, type StepDefinition } from '../engine/types';
import type { BackupArchive, JobServices, ProxmoxOps, ProxmoxTask } from './ops';
import {
	restoreVerifyResult,
	restoreVerifySchema,
	restoreVerifySteps,
	scratchOf,
	validateRestoreVerify,
	type RestoreVerifySettings,
} from './restore-verify';
import { need } from './util';

export interface BackupRunInput {
	node: string;
	/** backup storage (content=backup) */
	storage: string;
	vmids: number[];
	mode?: 'snapshot' | 'suspend' | 'stop';
	/** a Synology Hyper Backup task run after the dumps */
	hyperBackupTaskId?: number;
	/** keep the newest archive of each of the last `daily` days and of the last `weekly` ISO weeks, per guest */
	retention?: { daily: number; weekly: number };
	/**
	 * On unless `false`: one guest's new archive (in rotation) restored into a scratch VMID, booted with its
	 * network links down until its guest agent answers, destroyed (see restore-verify.ts)
	 */
	restoreVerify?: RestoreVerifySettings | false;
	pollMs?: number;
}

const pve = (services: JobServices): ProxmoxOps => need(services, 'proxmox');

/** which archives retention keeps: newest per day for `daily` days, newest per ISO week for `weekly` weeks */
export function retained(archives: BackupArchive[], daily: number, weekly: number): Set<string> {
	const newestFirst = [...archives].sort((a, b) => b.ctime - a.ctime);
	const keep = new Set<string>();
	const pick = (bucket: (date: Date) => string, count: number) => {
		const seen = new Set<string>();
		for (const archive of newestFirst) {
			const key = bucket(new Date(archive.ctime * 1000));
			if (seen.has(key)) continue;
			if (seen.size >= count) break;
			seen.add(key);
			keep.add(archive.volid);
		}
	};
	pick((date) => date.toISOString().slice(0, 10), daily);
	pick((date) => {
		const thursday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
		thursday.setUTCDate(thursday.getUTCDate() + 3 - ((thursday.getUTCDay() + 6) % 7));
		const firstThursday = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 4));
		const week = 1 + Math.round((thursday.getTime() - firstThursday.getTime()) / 604_800_000);
		return `${thursday.getUTCFullYear()}-W${week}`;
	}, weekly);
	return keep;
}

const archiveOf = (archives: BackupArchive[], key: string) =>
	archives.find((archive) => (archive.notes ?? '').includes(key));

function dumpSteps(vmid: number): Array<StepDefinition<BackupRunInput, JobServices>> {
	return [
		{
			name: `vzdump-${vmid}`,
			timeoutMs: 12 * 3_600_000,
			check: async (ctx) => {
				const proxmox = pve(ctx.services);
				const find = async () =>
					archiveOf(await proxmox.listBackups(ctx.input.node, ctx.input.storage, vmid), ctx.key);
				let found = await find();
				// a vzdump an interrupted attempt started may still be running (its UPID checkpointed, or killed before
				// that: still listed as an active vzdump of this guest): wait for it, then look again
				if (!found) {
					const saved = (ctx.saved as { task?: ProxmoxTask } | undefined)?.task;
					const active = await proxmox.activeTasks(ctx.input.node, 'vzdump', vmid);
					const tasks = [...(saved ? [saved] : []), ...active.filter((task) => task.upid !== saved?.upid)];
					for (const task of tasks) await proxmox.waitTask(task, ctx.signal).catch(() => undefined);
					if (ctx.signal.aborted) throw new Error('aborted');
					if (tasks.length) found = await find();
				}
				return found ? { vmid, volid: found.volid, size: found.size, recovered: true } : undefined;
			},
			run: async (ctx) => {
				const proxmox = pve(ctx.services);
				const task = await proxmox.vzdump({
					node: ctx.input.node,
					vmid,
					storage: ctx.input.storage,
					mode: ctx.input.mode ?? 'snapshot',
					notes: `homelab-backend ${ctx.key}`,
				});
				await ctx.checkpoint({ task: { node: task.node, upid: task.upid } });
				await ctx.progress(`vzdump of ${vmid} running`, { upid: task.upid });
				await proxmox.waitTask(task, ctx.signal);
				const found = archiveOf(await proxmox.listBackups(ctx.input.node, ctx.input.storage, vmid), ctx.key);
				if (!found) throw new Error(`vzdump of ${vmid} finished but no archive carries its notes`);
				return { vmid, volid: found.volid, size: found.size };
			},
		},
		{
			name: `verify-${vmid}`,
			run: async (ctx) => {
				const { volid } = ctx.results[`vzdump-${vmid}`] as { volid: string };
				const archive = (await pve(ctx.services).listBackups(ctx.input.node, ctx.input.storage, vmid)).find(
					(candidate) => candidate.volid === volid,
				);
				if (!archive) throw new PermanentError(`archive ${volid} of ${vmid} is missing`);
				if (!(archive.size > 0)) throw new PermanentError(`archive ${volid} of ${vmid} is empty`);
				// Proxmox reads the guest config out of the archive (decompressing its start): a truncated or
				// damaged archive fails here, long before anyone needs it
				const config = await pve(ctx.services).archiveConfig(ctx.input.node, volid);
				const options = config.split('\n').filter((line) => /^[a-z][a-z0-9_-]*: /.test(line));
				if (!options.length)
					throw new PermanentError(`archive ${volid} of ${vmid} holds no guest configuration`);
				return { vmid, volid, size: archive.size, ok: true, configOptions: options.length };
			},
		},
	];
}

/** backup-run: vzdump each guest -> verify archives -> Hyper Backup -> retention -> restore-verify (one guest). */
export const backupRun = defineJob<BackupRunInput, JobServices>({
	type: 'backup-run',
	description:
		'Backs up Proxmox guests with vzdump, verifies the archives, applies retention, test-restores one VM per run.',
	inputSchema: {
		type: 'object',
		required: ['node', 'storage', 'vmids'],
		additionalProperties: false,
		properties: {
			node: { type: 'string', pattern: '^[a-zA-Z0-9][a-zA-Z0-9.-]{0,62}$' },
			storage: { type: 'string', minLength: 1 },
			vmids: {
				type: 'array',
				minItems: 1,
				maxItems: 500,
				uniqueItems: true,
				items: { type: 'integer', minimum: 100, maximum: 999999999 },
			},
			mode: { enum: ['snapshot', 'suspend', 'stop'] },
			hyperBackupTaskId: { type: 'integer', minimum: 0 },
			retention: {
				type: 'object',
				required: ['daily', 'weekly'],
				additionalProperties: false,
				properties: {
					daily: { type: 'integer', minimum: 0, maximum: 3650 },
					weekly: { type: 'integer', minimum: 0, maximum: 520 },
				},
			},
			restoreVerify: restoreVerifySchema,
			pollMs: { type: 'integer', minimum: POLL_INTERVAL_MS.min, maximum: POLL_INTERVAL_MS.max },
		},
	},
	// the storage goes into an API path (storage content): a storage id, never a path piece
	validate: (input) => {
		assertStorageId(input.storage, 'storage');
		validateRestoreVerify(input);
	},
	locks: (input) => [
		...input.vmids.map((vmid) => `vm:${vmid}`),
		...(scratchOf(input) !== undefined ? [`vm:${scratchOf(input)}`] : []),
	],
	concurrency: 1,
	steps: (input) => [
		...input.vmids.flatMap(dumpSteps),
		{
			name: 'hyper-backup',
			when: (ctx) => ctx.input.hyperBackupTaskId !== undefined,
			timeoutMs: 24 * 3_600_000,
			run: async (ctx) =>
				(await need(ctx.services, 'synology').runHyperBackup(
					ctx.input.hyperBackupTaskId!,
					ctx.signal,
				)) as Json,
		},
		{
			name: 'retention',
			when: (ctx) => ctx.input.retention !== undefined,
			run: async (ctx) => {
				const { daily, weekly } = ctx.input.retention!;
				const proxmox = pve(ctx.services);
				const deleted: string[] = [];
				for (const vmid of ctx.input.vmids) {
					const archives = await proxmox.listBackups(ctx.input.node, ctx.input.storage, vmid);
					const keep = retained(archives, daily, weekly);
					// never the archive this run just made
					keep.add((ctx.results[`vzdump-${vmid}`] as { volid: string }).volid);
					for (const archive of archives) {
						if (keep.has(archive.volid)) continue;
						await proxmox.deleteBackup(ctx.input.node, ctx.input.storage, archive.volid);
						deleted.push(archive.volid);
					}
				}
				return { deleted };
			},
		},
		...restoreVerifySteps(input),
	],
	result: (results, input) => ({
		node: input.node,
		storage: input.storage,
		archives: input.vmids.map((vmid) => results[`verify-${vmid}`]),
		hyperBackup: results['hyper-backup'] ?? null,
		retention: results.retention ?? null,
		restoreVerify: restoreVerifyResult(results, input),
	}),
});
