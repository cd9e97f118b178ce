import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as dnsRecord from './actions/dnsRecord';
import * as endpoint from './actions/endpoint';
import * as route from './actions/route';
import { router } from './actions/router';
import * as service from './actions/service';
import { caddyAdminApiTest, powerDnsApiTest, searchRecords, searchRoutes } from './methods';

export class Homelab implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Homelab',
		name: 'homelab',
		icon: { light: 'file:homelab.svg', dark: 'file:homelab.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Check the services of your homelab, and expose them at https://<name> with a proxy route, a DNS record and a certificate',
		defaults: { name: 'Homelab' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'caddyAdminApi',
				required: true,
				testedBy: 'caddyAdminApiTest',
				displayOptions: { show: { resource: ['route', 'service'] } },
			},
			{
				name: 'powerDnsApi',
				required: true,
				testedBy: 'powerDnsApiTest',
				displayOptions: { show: { resource: ['dnsRecord', 'service'] } },
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'DNS Record', value: 'dnsRecord' },
					{ name: 'Endpoint', value: 'endpoint' },
					{ name: 'Route', value: 'route' },
					{ name: 'Service (Route + DNS Record)', value: 'service' },
				],
				default: 'endpoint',
			},
			...endpoint.description,
			...route.description,
			...dnsRecord.description,
			...service.description,
		],
	};

	methods = {
		credentialTest: { caddyAdminApiTest, powerDnsApiTest },
		listSearch: { searchRecords, searchRoutes },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
