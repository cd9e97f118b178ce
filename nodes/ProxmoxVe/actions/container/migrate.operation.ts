// POST /nodes/{node}/lxc/{vmid}/migrate (a vzmigrate task). Containers have no live migration: a running one
// moves in restart mode (shut down, copied, started on the target), which this operation uses unless turned off.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { maybeWait, withClient } from '../../transport';
import { asTrimmedText } from '../../../../shared/values';
import { getNodeName, getVmid, nodeField } from '../common';

const show = { resource: ['container'], operation: ['migrate'] };

export const description: INodeProperties[] = [
	nodeField(show, 'Target Node', 'ctMigrateTarget'),
	{
		displayName: 'Restart Mode',
		name: 'ctRestart',
		type: 'boolean',
		default: true,
		description:
			'Whether a running container may be shut down, moved and started again on the target (containers cannot move while they run)',
		displayOptions: { show },
	},
	{
		displayName: 'Shutdown Timeout (Seconds)',
		name: 'ctMigrateTimeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 180,
		description: 'How long Proxmox waits for the container to shut down in restart mode',
		displayOptions: { show: { ...show, ctRestart: [true] } },
	},
	{
		displayName: 'Target Storage',
		name: 'ctTargetStorage',
		type: 'string',
		default: '',
		placeholder: 'local-lvm',
		description: 'Storage on the target node for the volumes; empty keeps the same storage names',
		displayOptions: { show },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = getNodeName(this, itemIndex);
	const vmid = getVmid(this, itemIndex);
	const target = getNodeName(this, itemIndex, 'ctMigrateTarget');
	const restart = this.getNodeParameter('ctRestart', itemIndex, true) as boolean;
	const timeout = this.getNodeParameter('ctMigrateTimeout', itemIndex, 180) as number;
	const targetStorage = asTrimmedText(this.getNodeParameter('ctTargetStorage', itemIndex, ''));
	return await withClient(this, itemIndex, async (client) => {
		const running = (await client.containerStatus(node, vmid)).status === 'running';
		const upid = await client.migrateContainer(node, vmid, {
			target,
			restart: running && restart ? true : undefined,
			timeout: running && restart ? timeout : undefined,
			'target-storage': targetStorage || undefined,
		});
		const waited = await maybeWait(this, itemIndex, client, upid);
		const result: IDataObject = { vmid, from: node, node: target, restarted: running && restart, ...waited };
		if (waited.waited) result.status = (await client.containerStatus(target, vmid)).status;
		return result;
	});
}
