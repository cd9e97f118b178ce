import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { assertIpConfig, encodeSshKeys, type Params } from '../../../../clients/proxmox';
import { maybeWait, toNodeError, withClient } from '../../transport';
import { getNodeName, getVmid } from '../common';

const show = { resource: ['vm'], operation: ['setCloudInit', 'ensureFromTemplate'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Cloud-Init Fields',
		name: 'cloudInit',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'DNS Domain',
				name: 'searchdomain',
				type: 'string',
				default: '',
				placeholder: 'lab.example',
			},
			{
				displayName: 'DNS Servers',
				name: 'nameserver',
				type: 'string',
				default: '',
				placeholder: '192.168.1.1 1.1.1.1',
				description: 'Separated by spaces',
			},
			{
				displayName: 'IP Config (Net0)',
				name: 'ipconfig0',
				type: 'string',
				default: '',
				placeholder: 'ip=192.168.1.50/24,gw=192.168.1.1',
				description: 'Ip=dhcp, or ip=CIDR,gw=GATEWAY; add ip6=auto for IPv6',
			},
			{
				displayName: 'Password',
				name: 'cipassword',
				type: 'string',
				typeOptions: { password: true },
				default: '',
			},
			{
				displayName: 'SSH Public Keys',
				name: 'sshkeys',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				placeholder: 'ssh-ed25519 AAAAC3Nza… me@laptop',
				description:
					'One OpenSSH public key per line, as in authorized_keys. Sent percent-encoded the way Proxmox requires.',
			},
			{ displayName: 'User', name: 'ciuser', type: 'string', default: '', placeholder: 'ops' },
		],
	},
];

/** The cloud-init fields of the item as API parameters: sshkeys encoded, ipconfig0 checked; {} when none set. */
export function cloudInitParams(ctx: IExecuteFunctions, itemIndex: number): Params {
	const fields = ctx.getNodeParameter('cloudInit', itemIndex, {}) as Record<string, string>;
	const params: Params = {};
	try {
		for (const [key, raw] of Object.entries(fields)) {
			const value = String(raw ?? '').trim();
			if (!value) continue;
			if (key === 'sshkeys') params.sshkeys = encodeSshKeys(value);
			else if (key === 'ipconfig0') params.ipconfig0 = assertIpConfig(value, 'IP Config (net0)');
			else params[key] = key === 'cipassword' ? String(raw) : value;
		}
	} catch (error) {
		throw toNodeError(ctx.getNode(), error, itemIndex);
	}
	return params;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = getNodeName(this, itemIndex);
	const vmid = getVmid(this, itemIndex);
	const params = cloudInitParams(this, itemIndex);
	if (Object.keys(params).length === 0) {
		throw new NodeOperationError(this.getNode(), 'No cloud-init field set', {
			itemIndex,
			description: 'Add at least one field under "Cloud-Init Fields"',
		});
	}
	return await withClient(this, itemIndex, async (client) => {
		const waited = await maybeWait(this, itemIndex, client, await client.updateVmConfig(node, vmid, params));
		return { node, vmid, changed: Object.keys(params), ...waited };
	});
}
