import type { IAuthenticateGeneric, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

// The PowerDNS Authoritative HTTP API (doc.powerdns.com/authoritative/http-api): the X-API-Key header on every
// request (also lets the HTTP Request node use this credential). The Homelab node tests it itself (credentialTest
// "powerDnsApiTest" reads the zone through the same client the operations use, so a wrong key, a missing zone and
// a server that is down are each named); a plain `test` request here would take precedence over it in n8n.
export class PowerDnsApi implements ICredentialType {
	name = 'powerDnsApi';

	displayName = 'PowerDNS API';

	icon: Icon = { light: 'file:../nodes/Homelab/homelab.svg', dark: 'file:../nodes/Homelab/homelab.dark.svg' };

	documentationUrl = 'https://doc.powerdns.com/authoritative/http-api/index.html';

	properties: INodeProperties[] = [
		{
			displayName: 'API URL',
			name: 'apiUrl',
			type: 'string',
			default: 'http://127.0.0.1:8081',
			required: true,
			description: 'The PowerDNS webserver (`webserver-address`/`webserver-port`), without /api/v1',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The `api-key` from pdns.conf',
		},
		{
			displayName: 'Zone',
			name: 'zone',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'lab.example',
			description: 'The zone records are written to (it must exist)',
		},
		{
			displayName: 'Server ID',
			name: 'serverId',
			type: 'string',
			default: 'localhost',
			description: 'PowerDNS names its own server "localhost" unless configured otherwise',
		},
		{
			displayName: 'DNS Server Clients Query',
			name: 'dnsServer',
			type: 'string',
			default: '',
			placeholder: '192.168.1.2 or 127.0.0.1:5353',
			description:
				'Where lab clients resolve names (this PowerDNS or a resolver in front of it): Service → Expose verifies through it',
		},
		{
			displayName: 'Default TTL (Seconds)',
			name: 'defaultTtl',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 300,
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'X-API-Key': '={{$credentials.apiKey}}' } },
	};
}
