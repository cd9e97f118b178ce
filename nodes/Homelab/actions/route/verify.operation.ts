import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { failureSummary } from '../../../../clients/edge/expose';
import { verify } from '../../../../clients/edge/verify';
import { caddy, edgeCall, reportJson } from '../../transport/edge';
import { nameLocator, requiredText } from '../common';

const showFor = { resource: ['route'], operation: ['verify'] };

export const description: INodeProperties[] = [
	nameLocator('route', 'Route', 'searchRoutes', showFor, 'The hostname to verify'),
	{
		displayName: 'DNS Server',
		name: 'dnsServer',
		type: 'string',
		required: true,
		default: '',
		placeholder: '192.168.1.2 or 127.0.0.1:5353',
		description: "The lab's DNS server, queried directly (not n8n's own resolver)",
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Options',
		name: 'verifyOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: showFor },
		options: [
			{
				displayName: 'Expected Address',
				name: 'expectedAddress',
				type: 'string',
				default: '',
				description: "The address the name must resolve to; empty: the credential's proxy address",
			},
			{
				displayName: 'Fail When Unhealthy',
				name: 'failWhenUnhealthy',
				type: 'boolean',
				default: false,
				description: 'Whether a failed check stops the item with an error instead of returning ok: false',
			},
			{
				displayName: 'Health Path',
				name: 'healthPath',
				type: 'string',
				default: '/',
			},
			{
				displayName: 'Minimum Days Valid',
				name: 'minDaysValid',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 7,
				description: 'A certificate expiring sooner fails the TLS check',
			},
			{
				displayName: 'Timeout (Ms)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 5000,
				description: 'How long each check may wait for an answer',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const hostname = requiredText(this, 'route', itemIndex, 'Pick a route from the list or enter a hostname');
	const dnsServer = requiredText(
		this,
		'dnsServer',
		itemIndex,
		"Enter the lab's DNS server, e.g. 192.168.1.2",
	);
	const options = this.getNodeParameter('verifyOptions', itemIndex, {}) as {
		expectedAddress?: string;
		failWhenUnhealthy?: boolean;
		healthPath?: string;
		minDaysValid?: number;
		timeout?: number;
	};
	const settings = await caddy(this, itemIndex);
	if (!settings.verify.caBundle) {
		throw new NodeOperationError(this.getNode(), 'The Caddy Admin API credential has no CA bundle', {
			itemIndex,
			description:
				"Paste the lab CA's root certificate (PEM) into 'CA Bundle Clients Trust' of the credential",
		});
	}
	const report = await edgeCall(this, itemIndex, async () =>
		verify({
			...settings.verify,
			hostname,
			dnsServer,
			expectedAddress: options.expectedAddress?.trim() || settings.proxyAddress || undefined,
			healthPath: options.healthPath || '/',
			minDaysValid: options.minDaysValid ?? 7,
			timeoutMs: options.timeout ?? 5000,
		}),
	);
	if (!report.ok && options.failWhenUnhealthy) {
		throw new NodeOperationError(this.getNode(), failureSummary(report.hostname, report), {
			itemIndex,
			description: 'Fix the failing check, or turn off "Fail When Unhealthy" to get the report as data',
		});
	}
	return { ...reportJson(report), checkedAt: new Date().toISOString() };
}
