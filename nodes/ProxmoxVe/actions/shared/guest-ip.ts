// The guest-agent IP wait's parameters, shared by VM → Wait for IP and VM → Ensure From Template: one set of
// fields shown for both operations, read by ipOptions.
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { GuestIpOptions } from '../../../../clients/proxmox';

const show = { resource: ['vm'], operation: ['waitForIp', 'ensureFromTemplate'] };

export const guestIpFields: INodeProperties[] = [
	{
		displayName: 'Timeout (Seconds)',
		name: 'ipTimeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 300,
		description: 'Fail when the guest agent has reported no address after this long',
		displayOptions: { show },
	},
	{
		displayName: 'Address Family',
		name: 'family',
		type: 'options',
		options: [
			{ name: 'IPv4', value: 'ipv4' },
			{ name: 'IPv6', value: 'ipv6' },
			{ name: 'Any', value: 'any' },
		],
		default: 'ipv4',
		displayOptions: { show },
	},
	{
		displayName: 'Interface Name',
		name: 'interfaceName',
		type: 'string',
		default: '',
		placeholder: 'eth0',
		description: 'Only addresses of this guest interface; empty takes the first non-loopback one',
		displayOptions: { show },
	},
	{
		displayName: 'Poll Interval (Ms)',
		name: 'ipPollInterval',
		type: 'number',
		typeOptions: { minValue: 50 },
		default: 2000,
		displayOptions: { show },
	},
];

/** The wait-for-IP settings of the item, as GuestIpOptions. */
export function ipOptions(ctx: IExecuteFunctions, itemIndex: number): GuestIpOptions {
	const interfaceName = (ctx.getNodeParameter('interfaceName', itemIndex, '') as string).trim();
	return {
		timeoutMs: (ctx.getNodeParameter('ipTimeout', itemIndex, 300) as number) * 1000,
		pollIntervalMs: ctx.getNodeParameter('ipPollInterval', itemIndex, 2000) as number,
		family: ctx.getNodeParameter('family', itemIndex, 'ipv4') as 'ipv4' | 'ipv6' | 'any',
		interfaceName: interfaceName || undefined,
		signal: ctx.getExecutionCancelSignal(),
		onProgress: (message) => ctx.logger.debug(message),
	};
}
