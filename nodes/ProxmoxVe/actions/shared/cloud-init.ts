// The cloud-init parameters, shared by VM → Configure Cloud-Init and VM → Ensure From Template: one set of
// fields shown for both operations, turned into checked API parameters by cloudInitParams.
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	assertCloudInitUser,
	assertIpConfig,
	assertNameservers,
	assertSearchDomains,
	encodeSshKeys,
	isIpv4,
	isIpv6,
	MAX_NETS,
	ProxmoxInputError,
	type Params,
} from '../../../../clients/proxmox';
import { toNodeError } from '../../transport';

const show = { resource: ['vm'], operation: ['setCloudInit', 'ensureFromTemplate'] };

export const cloudInitFields: INodeProperties[] = [
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
				description: 'IP addresses separated by spaces',
			},
			{
				displayName: 'IP Config (Net0)',
				name: 'ipconfig0',
				type: 'string',
				default: '',
				placeholder: 'ip=192.168.1.50/24,gw=192.168.1.1',
				description:
					'Ip=dhcp, or ip=CIDR,gw=GATEWAY; add ip6=auto for IPv6. For more interfaces use "IP Config per Interface".',
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
	{
		displayName: 'IP Config per Interface',
		name: 'ipConfigs',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Interface',
		default: {},
		description:
			"Cloud-init addresses of the VM's network interfaces (ipconfig0 for net0, ipconfig1 for net1, ...)",
		displayOptions: { show },
		options: [
			{
				displayName: 'Interface',
				name: 'interfaces',
				values: [
					{
						displayName: 'Interface Number',
						name: 'index',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: MAX_NETS - 1 },
						default: 0,
						description: "N of the VM's netN device (0 to 31)",
					},
					{
						displayName: 'IPv4',
						name: 'ipv4',
						type: 'options',
						options: [
							{ name: 'DHCP', value: 'dhcp' },
							{ name: 'Static', value: 'static' },
							{ name: 'None', value: 'none' },
						],
						default: 'dhcp',
					},
					{
						displayName: 'IPv4 Address (CIDR)',
						name: 'ipv4Address',
						type: 'string',
						default: '',
						placeholder: '192.168.1.50/24',
						displayOptions: { show: { ipv4: ['static'] } },
					},
					{
						displayName: 'IPv4 Gateway',
						name: 'ipv4Gateway',
						type: 'string',
						default: '',
						placeholder: '192.168.1.1',
						description: 'Empty for an interface without default route',
						displayOptions: { show: { ipv4: ['static'] } },
					},
					{
						displayName: 'IPv6',
						name: 'ipv6',
						type: 'options',
						options: [
							{ name: 'None', value: 'none' },
							{ name: 'DHCPv6', value: 'dhcp' },
							{ name: 'SLAAC (Auto)', value: 'auto' },
							{ name: 'Static', value: 'static' },
						],
						default: 'none',
					},
					{
						displayName: 'IPv6 Address (CIDR)',
						name: 'ipv6Address',
						type: 'string',
						default: '',
						placeholder: '2001:db8::50/64',
						displayOptions: { show: { ipv6: ['static'] } },
					},
					{
						displayName: 'IPv6 Gateway',
						name: 'ipv6Gateway',
						type: 'string',
						default: '',
						placeholder: '2001:db8::1',
						displayOptions: { show: { ipv6: ['static'] } },
					},
				],
			},
		],
	},
];

interface InterfaceEntry {
	index?: number;
	ipv4?: 'dhcp' | 'static' | 'none';
	ipv4Address?: string;
	ipv4Gateway?: string;
	ipv6?: 'none' | 'dhcp' | 'auto' | 'static';
	ipv6Address?: string;
	ipv6Gateway?: string;
}

/** One "IP Config per Interface" entry as its ipconfigN parameter, checked like the API checks it. */
function interfaceParam(entry: InterfaceEntry, position: number): [string, string] {
	const index = Number(entry.index ?? 0);
	const label = `Interface ${position + 1} (net${index})`;
	if (!Number.isInteger(index) || index < 0 || index >= MAX_NETS) {
		throw new ProxmoxInputError(
			`Interface ${position + 1}: number ${String(entry.index)} is not a network interface Proxmox knows`,
			'ipConfigs',
			`Use 0 to ${MAX_NETS - 1}: the N of the VM's netN device`,
		);
	}
	const parts: string[] = [];
	const v4 = entry.ipv4 ?? 'dhcp';
	if (v4 === 'dhcp') parts.push('ip=dhcp');
	if (v4 === 'static') {
		const address = (entry.ipv4Address ?? '').trim();
		if (!address) {
			throw new ProxmoxInputError(
				`${label}: IPv4 is static but has no address`,
				'ipConfigs',
				'e.g. 192.168.1.50/24',
			);
		}
		parts.push(`ip=${address}`);
		const gateway = (entry.ipv4Gateway ?? '').trim();
		if (gateway && !isIpv4(gateway)) {
			throw new ProxmoxInputError(`${label}: IPv4 gateway "${gateway}" is not an IPv4 address`, 'ipConfigs');
		}
		if (gateway) parts.push(`gw=${gateway}`);
	}
	const v6 = entry.ipv6 ?? 'none';
	if (v6 === 'dhcp' || v6 === 'auto') parts.push(`ip6=${v6}`);
	if (v6 === 'static') {
		const address = (entry.ipv6Address ?? '').trim();
		if (!address) {
			throw new ProxmoxInputError(
				`${label}: IPv6 is static but has no address`,
				'ipConfigs',
				'e.g. 2001:db8::50/64',
			);
		}
		parts.push(`ip6=${address}`);
		const gateway = (entry.ipv6Gateway ?? '').trim();
		if (gateway && !isIpv6(gateway)) {
			throw new ProxmoxInputError(`${label}: IPv6 gateway "${gateway}" is not an IPv6 address`, 'ipConfigs');
		}
		if (gateway) parts.push(`gw6=${gateway}`);
	}
	if (parts.length === 0) {
		throw new ProxmoxInputError(
			`${label}: neither IPv4 nor IPv6 is configured`,
			'ipConfigs',
			'Choose DHCP or Static for at least one of them, or remove the interface',
		);
	}
	return [`ipconfig${index}`, assertIpConfig(parts.join(','), label)];
}

/**
 * The cloud-init fields of the item as API parameters, each checked (sshkeys percent-encoded the way Proxmox
 * wants, ipconfigN, DNS servers and domains, user name); {} when none is set.
 */
export function cloudInitParams(ctx: IExecuteFunctions, itemIndex: number): Params {
	const fields = ctx.getNodeParameter('cloudInit', itemIndex, {}) as Record<string, string>;
	const interfaces =
		(ctx.getNodeParameter('ipConfigs', itemIndex, {}) as { interfaces?: InterfaceEntry[] }).interfaces ?? [];
	const params: Params = {};
	try {
		for (const [key, raw] of Object.entries(fields)) {
			const value = String(raw ?? '').trim();
			if (!value) continue;
			if (key === 'sshkeys') params.sshkeys = encodeSshKeys(value);
			else if (key === 'ipconfig0') params.ipconfig0 = assertIpConfig(value, 'IP Config (net0)');
			else if (key === 'nameserver') params.nameserver = assertNameservers(value, 'DNS Servers');
			else if (key === 'searchdomain') params.searchdomain = assertSearchDomains(value, 'DNS Domain');
			else if (key === 'ciuser') params.ciuser = assertCloudInitUser(value, 'User');
			else params[key] = key === 'cipassword' ? String(raw) : value;
		}
		interfaces.forEach((entry, position) => {
			const [key, value] = interfaceParam(entry, position);
			if (params[key] !== undefined) {
				throw new ProxmoxInputError(
					`net${key.slice('ipconfig'.length)} is configured twice`,
					'ipConfigs',
					key === 'ipconfig0'
						? 'Set interface 0 either in "IP Config (Net0)" or under "IP Config per Interface", not both'
						: 'Each interface number may appear once under "IP Config per Interface"',
				);
			}
			params[key] = value;
		});
	} catch (error) {
		throw toNodeError(ctx.getNode(), error, itemIndex);
	}
	return params;
}
