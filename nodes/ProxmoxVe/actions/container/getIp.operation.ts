import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ProxmoxApiError } from '../../../../clients/proxmox';
import { withClient } from '../../transport';
import { sleep } from '../../../../shared/timing';
import { getNodeName, getVmid } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'Timeout (Seconds)',
		name: 'ctIpTimeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 120,
		description: 'Fail when the container has no IPv4 address after this long',
		displayOptions: { show: { resource: ['container'], operation: ['getIp'] } },
	},
];

/** Polls GET /nodes/{node}/lxc/{vmid}/interfaces until a non-loopback IPv4 address shows up (DHCP takes time). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = getNodeName(this, itemIndex);
	const vmid = getVmid(this, itemIndex);
	const timeoutMs = (this.getNodeParameter('ctIpTimeout', itemIndex, 120) as number) * 1000;
	const signal = this.getExecutionCancelSignal();
	return await withClient(this, itemIndex, async (client) => {
		const started = Date.now();
		for (;;) {
			const interfaces = await client.containerInterfaces(node, vmid).catch((error: unknown) => {
				// "CT 200 not running" right after a start: keep asking until the timeout.
				if (error instanceof ProxmoxApiError && error.status === 500) return [];
				throw error;
			});
			const found = interfaces.find((entry) => entry.name !== 'lo' && entry.inet);
			if (found?.inet) {
				return {
					node,
					vmid,
					ip: found.inet.split('/')[0],
					cidr: found.inet,
					interface: found.name,
					interfaces: interfaces as IDataObject[],
					waitedMs: Date.now() - started,
				};
			}
			if (signal?.aborted || Date.now() - started >= timeoutMs) {
				throw new NodeOperationError(
					this.getNode(),
					`Container ${vmid} reported no IPv4 address within ${timeoutMs / 1000} s`,
					{
						itemIndex,
						description:
							'Check that it runs and that its network gets an address (DHCP or a static ip= in the network settings)',
					},
				);
			}
			// a cancel ends the wait now; the check above then reports it
			await sleep(1000, signal).catch(() => undefined);
		}
	});
}
