// "Ensure from template": make sure a VM with this name exists and runs, without duplicating it when the
// workflow runs again. Absent: clone the template (always waiting), apply cloud-init, start. Present: leave it
// as it is (started when asked). Both can then wait for the guest agent's IP.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { assertNodeName, assertVmid, type ProxmoxClient } from '../../../../clients/proxmox';
import { withClient } from '../../transport';
import { asTrimmedText } from '../../../../shared/values';
import { getNodeName, getVmid, taskOptionsField } from '../common';
import { cloudInitParams } from '../shared/cloud-init';
import { ipOptions } from '../shared/guest-ip';

const show = { resource: ['vm'], operation: ['ensureFromTemplate'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Start the VM',
		name: 'startVm',
		type: 'boolean',
		default: true,
		description: 'Whether to start the VM when it is not running',
		displayOptions: { show },
	},
	{
		displayName: 'Wait for IP',
		name: 'waitForIpAfter',
		type: 'boolean',
		default: false,
		description: 'Whether to wait until the guest agent reports an IP address (needs the VM to run)',
		displayOptions: { show },
	},
	taskOptionsField(show),
];

async function wait(ctx: IExecuteFunctions, itemIndex: number, client: ProxmoxClient, upid: string | null) {
	if (!upid) return undefined;
	return await client.waitForTask(upid, {
		timeoutMs: (ctx.getNodeParameter('taskOptions.timeout', itemIndex, 600) as number) * 1000,
		signal: ctx.getExecutionCancelSignal(),
		onProgress: (progress) => progress.newLogLines.forEach((line) => ctx.sendMessageToUI(`Proxmox: ${line}`)),
	});
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = getNodeName(this, itemIndex);
	const template = getVmid(this, itemIndex, 'sourceVmid');
	const name = (this.getNodeParameter('name', itemIndex, '') as string).trim();
	if (!name) {
		throw new NodeOperationError(this.getNode(), 'Name is empty: it is how an existing VM is recognised', {
			itemIndex,
			description: 'Give the VM a name (a DNS name like web-01); a VM with this name is created only once',
		});
	}
	const requested = this.getNodeParameter('newid', itemIndex, 0) as number;
	const full = (this.getNodeParameter('full', itemIndex, 'full') as string) === 'full';
	const options = this.getNodeParameter('cloneOptions', itemIndex, {}) as {
		storage?: string;
		pool?: string;
		description?: string;
	};
	const targetRaw = asTrimmedText(this.getNodeParameter('targetNode', itemIndex, '', { extractValue: true }));
	const startVm = this.getNodeParameter('startVm', itemIndex, true) as boolean;
	const waitForIp = this.getNodeParameter('waitForIpAfter', itemIndex, false) as boolean;
	const cloudInit = cloudInitParams(this, itemIndex);
	return await withClient(this, itemIndex, async (client) => {
		const target = targetRaw ? assertNodeName(targetRaw, 'Target Node') : node;
		const steps: string[] = [];
		const existing = await client.findVmsByName(name);
		if (existing.length > 1) {
			throw new NodeOperationError(
				this.getNode(),
				`Several VMs are named "${name}": ${existing.map((vm) => `${vm.vmid} on ${vm.node}`).join(', ')}`,
				{
					itemIndex,
					description: 'Rename or remove the duplicates so the name identifies one VM',
				},
			);
		}
		let vmid: number;
		let vmNode: string;
		if (existing.length === 1) {
			vmid = Number(existing[0].vmid);
			vmNode = String(existing[0].node);
			steps.push('found');
		} else {
			vmid = requested ? assertVmid(requested, 'New VM ID') : await client.nextId();
			vmNode = target;
			await wait(
				this,
				itemIndex,
				client,
				await client.cloneVm(node, template, {
					newid: vmid,
					name,
					full,
					target: target !== node ? target : undefined,
					storage: options.storage?.trim() || undefined,
					pool: options.pool?.trim() || undefined,
					description: options.description || undefined,
				}),
			);
			steps.push('cloned');
			if (Object.keys(cloudInit).length > 0) {
				await wait(this, itemIndex, client, await client.updateVmConfig(vmNode, vmid, cloudInit));
				steps.push('configured');
			}
		}
		let status = (await client.vmStatus(vmNode, vmid)).status;
		if (startVm && status !== 'running') {
			await wait(this, itemIndex, client, await client.vmPower(vmNode, vmid, 'start'));
			steps.push('started');
			status = 'running';
		}
		const result: IDataObject = { created: existing.length === 0, vmid, node: vmNode, name, status, steps };
		if (waitForIp) {
			const ip = await client.waitForGuestIp(vmNode, vmid, ipOptions(this, itemIndex));
			result.ip = ip.ip;
			result.ips = ip.ips as unknown as IDataObject[];
		}
		return result;
	});
}
