import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { exposeService } from '../../../../clients/edge/expose';
import { caddy, edgeCall, powerDns, reportJson } from '../../transport/edge';
import { requiredText } from '../common';

const showFor = { resource: ['service'], operation: ['expose'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Hostname',
		name: 'hostname',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'jellyfin.lab.example',
		description: 'The name to serve, inside the zone of the PowerDNS credential',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Upstream',
		name: 'upstream',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'http://192.168.1.20:8096',
		description: 'Where the proxy forwards requests: http://host:port or https://host:port',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Options',
		name: 'exposeOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: showFor },
		options: [
			{
				displayName: 'Certificate Timeout (Seconds)',
				name: 'certificateTimeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 60,
				description: 'How long the proxy may take to get the certificate before everything is rolled back',
			},
			{
				displayName: 'Health Path',
				name: 'healthPath',
				type: 'string',
				default: '/',
				description: 'Requested through the proxy at the end; an answer of 400 or above rolls back',
			},
			{
				displayName: 'TTL (Seconds)',
				name: 'ttl',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: "0 uses the PowerDNS credential's default TTL",
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const hostname = requiredText(
		this,
		'hostname',
		itemIndex,
		'Enter the name to serve, e.g. jellyfin.lab.example',
	);
	const upstream = requiredText(
		this,
		'upstream',
		itemIndex,
		'Enter where to forward, e.g. http://192.168.1.20:8096',
	);
	const options = this.getNodeParameter('exposeOptions', itemIndex, {}) as {
		certificateTimeout?: number;
		healthPath?: string;
		ttl?: number;
	};
	const proxy = await caddy(this, itemIndex);
	const dns = await powerDns(this, itemIndex);
	const missing = [
		!proxy.proxyAddress && '"Proxy Address" in the Caddy Admin API credential',
		!proxy.verify.caBundle && '"CA Bundle Clients Trust" in the Caddy Admin API credential',
		!dns.dnsServer && '"DNS Server Clients Query" in the PowerDNS API credential',
	].filter(Boolean);
	if (missing.length > 0) {
		throw new NodeOperationError(this.getNode(), `Expose needs ${missing.join(' and ')}`, {
			itemIndex,
			description: 'Fill in these fields: the expose verifies the service from a client with them',
		});
	}
	const zone = (await this.getCredentials('powerDnsApi', itemIndex)).zone as string;
	const result = await edgeCall(this, itemIndex, async () =>
		exposeService({
			hostname,
			upstream,
			address: proxy.proxyAddress,
			labDomain: zone,
			routes: proxy.provider,
			records: dns.provider,
			ttl: options.ttl ? options.ttl : undefined,
			certificateTimeoutMs: (options.certificateTimeout ?? 60) * 1000,
			verify: { ...proxy.verify, dnsServer: dns.dnsServer, healthPath: options.healthPath || '/' },
			signal: this.getExecutionCancelSignal(),
			onProgress: (progress) => this.logger.info(`Expose ${hostname}: ${progress.step}: ${progress.message}`),
		}),
	);
	return {
		hostname: result.hostname,
		url: `https://${result.hostname}${proxy.verify.port === 443 ? '' : `:${proxy.verify.port}`}`,
		upstream: result.route.upstream,
		record: { ...result.record, ttl: result.record.ttl ?? null },
		changed: result.changed,
		message: result.message,
		verify: reportJson(result.report),
	};
}
