// Start, stop, shutdown, reboot, suspend and resume: POST /nodes/{node}/qemu/{vmid}/status/{action}, each a task.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { VmPowerAction } from '../../../../clients/proxmox';
import { maybeWait, withClient } from '../../transport';
import { getNodeName, getVmid } from '../common';

async function power(ctx: IExecuteFunctions, itemIndex: number, action: VmPowerAction): Promise<IDataObject> {
	const node = getNodeName(ctx, itemIndex);
	const vmid = getVmid(ctx, itemIndex);
	const params: Record<string, number | boolean> = {};
	if (action === 'shutdown') {
		params.timeout = ctx.getNodeParameter('shutdownTimeout', itemIndex, 180) as number;
		params.forceStop = ctx.getNodeParameter('forceStop', itemIndex, false) as boolean;
	}
	// Hibernate: the RAM goes to a vmstate volume and the VM stops, locked "suspended" until Resume (or Start).
	if (action === 'suspend' && (ctx.getNodeParameter('suspendToDisk', itemIndex, false) as boolean)) {
		params.todisk = true;
	}
	return await withClient(ctx, itemIndex, async (client) => {
		const upid = await client.vmPower(node, vmid, action, params);
		const waited = await maybeWait(ctx, itemIndex, client, upid);
		const result: IDataObject = { node, vmid, action, ...waited };
		if (waited.waited) {
			const current = await client.vmStatus(node, vmid);
			result.status = current.status;
			result.qmpstatus = current.qmpstatus ?? current.status;
			if (current.lock) result.lock = current.lock;
		}
		return result;
	});
}

export async function startExecute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await power(this, itemIndex, 'start');
}

export async function stopExecute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await power(this, itemIndex, 'stop');
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

export async function shutdownExecute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await power(this, itemIndex, 'shutdown');
}

const shutdownShow = { resource: ['vm'], operation: ['shutdown'] };

export const shutdownDescription: INodeProperties[] = [
	{
		displayName: 'To Disk (Hibernate)',
		name: 'suspendToDisk',
		type: 'boolean',
		default: false,
		description:
			'Whether to save the RAM to disk and stop the VM (it continues on Resume or Start) instead of pausing it in memory',
		displayOptions: { show: { resource: ['vm'], operation: ['suspend'] } },
	},
	{
		displayName: 'Shutdown Timeout (Seconds)',
		name: 'shutdownTimeout',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 180,
		description: 'How long Proxmox waits for the guest to power off',
		displayOptions: { show: shutdownShow },
	},
	{
		displayName: 'Force Stop After Timeout',
		name: 'forceStop',
		type: 'boolean',
		default: false,
		description: 'Whether to stop the VM hard when the guest has not shut down in time',
		displayOptions: { show: shutdownShow },
	},
];
