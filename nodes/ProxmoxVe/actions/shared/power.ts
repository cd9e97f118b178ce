// Start, stop, shutdown, reboot, suspend and resume of a VM (POST /nodes/{node}/qemu/{vmid}/status/{action}) or a
// container (.../lxc/{vmid}/status/{action}), each a task: one piece for both guest types, which differ only in
// the VM's extra parameters (shutdown timeout and force stop, suspend to disk) and in what the status reports.
// A container's suspend is pve-container's lxc-checkpoint (CRIU, "experimental"): it saves the state and stops
// the container; resume starts it from that state.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { GuestKind, VmPowerAction } from '../../../../clients/proxmox';
import { maybeWait, withClient } from '../../transport';
import { getNodeName, getVmid } from '../common';

type Execute = (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject>;

/** The VM's own parameters of an action (VM → Shutdown and Suspend fields); containers take none. */
function vmParams(
	ctx: IExecuteFunctions,
	itemIndex: number,
	action: VmPowerAction,
): Record<string, number | boolean> {
	const params: Record<string, number | boolean> = {};
	if (action === 'shutdown') {
		params.timeout = ctx.getNodeParameter('shutdownTimeout', itemIndex, 180) as number;
		params.forceStop = ctx.getNodeParameter('forceStop', itemIndex, false) as boolean;
	}
	// Hibernate: the RAM goes to a vmstate volume and the VM stops, locked "suspended" until Resume (or Start).
	if (action === 'suspend' && (ctx.getNodeParameter('suspendToDisk', itemIndex, false) as boolean)) {
		params.todisk = true;
	}
	return params;
}

async function power(
	ctx: IExecuteFunctions,
	itemIndex: number,
	kind: GuestKind,
	action: VmPowerAction,
): Promise<IDataObject> {
	const node = getNodeName(ctx, itemIndex);
	const vmid = getVmid(ctx, itemIndex);
	const params = kind === 'qemu' ? vmParams(ctx, itemIndex, action) : {};
	return await withClient(ctx, itemIndex, async (client) => {
		const upid =
			kind === 'qemu'
				? await client.vmPower(node, vmid, action, params)
				: await client.containerPower(node, vmid, action);
		const waited = await maybeWait(ctx, itemIndex, client, upid);
		const result: IDataObject = { node, vmid, action, ...waited };
		if (waited.waited) {
			if (kind === 'qemu') {
				const current = await client.vmStatus(node, vmid);
				result.status = current.status;
				result.qmpstatus = current.qmpstatus ?? current.status;
				if (current.lock) result.lock = current.lock;
			} else {
				result.status = (await client.containerStatus(node, vmid)).status;
			}
		}
		return result;
	});
}

/** The six power operations of one guest type, as the router's table takes them. */
export function powerOperations(
	kind: GuestKind,
): Record<
	'startExecute' | 'stopExecute' | 'shutdownExecute' | 'rebootExecute' | 'suspendExecute' | 'resumeExecute',
	Execute
> {
	const run = (action: VmPowerAction): Execute =>
		async function (this: IExecuteFunctions, itemIndex: number) {
			return await power(this, itemIndex, kind, action);
		};
	return {
		startExecute: run('start'),
		stopExecute: run('stop'),
		shutdownExecute: run('shutdown'),
		rebootExecute: run('reboot'),
		suspendExecute: run('suspend'),
		resumeExecute: run('resume'),
	};
}
