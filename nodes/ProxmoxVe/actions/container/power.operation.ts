// Start, stop, shutdown, reboot, suspend and resume of a container: POST /nodes/{node}/lxc/{vmid}/status/{action},
// each a task. Suspend is pve-container's lxc-checkpoint (CRIU, "experimental"): it saves the state and stops the
// container; resume starts it from that state.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ContainerPowerAction } from '../../../../clients/proxmox';
import { maybeWait, withClient } from '../../transport';
import { getNodeName, getVmid } from '../common';

async function power(
	ctx: IExecuteFunctions,
	itemIndex: number,
	action: ContainerPowerAction,
): Promise<IDataObject> {
	const node = getNodeName(ctx, itemIndex);
	const vmid = getVmid(ctx, itemIndex);
	return await withClient(ctx, itemIndex, async (client) => {
		const waited = await maybeWait(ctx, itemIndex, client, await client.containerPower(node, vmid, action));
		const result: IDataObject = { node, vmid, action, ...waited };
		if (waited.waited) result.status = (await client.containerStatus(node, vmid)).status;
		return result;
	});
}

export async function startExecute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await power(this, itemIndex, 'start');
}

export async function stopExecute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await power(this, itemIndex, 'stop');
}

export async function shutdownExecute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await power(this, itemIndex, 'shutdown');
}

export async function rebootExecute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await power(this, itemIndex, 'reboot');
}

export async function suspendExecute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await power(this, itemIndex, 'suspend');
}

export async function resumeExecute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await power(this, itemIndex, 'resume');
}
