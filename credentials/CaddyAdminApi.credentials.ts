import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

// Caddy's admin API (caddyserver.com/docs/api): no authentication of its own, so it must listen only where n8n
// can reach it (loopback or a private network). The node tests this credential itself (credentialTest
// "caddyAdminApiTest": the HTTPS server exists and its catch-all TLS policy does not point at a public CA); a
// plain `test` request here would take precedence over it in n8n and could not check that.
// The fields below the admin URL describe the lab's side of the proxy: the address clients reach it at and the
// CA bundle they trust, which the Route → Verify and Service → Expose operations check against.
export class CaddyAdminApi implements ICredentialType {
	name = 'caddyAdminApi';

	displayName = 'Caddy Admin API';

	icon: Icon = { light: 'file:../nodes/Homelab/homelab.svg', dark: 'file:../nodes/Homelab/homelab.dark.svg' };

	documentationUrl = 'https://caddyserver.com/docs/api';

	properties: INodeProperties[] = [
		{
			displayName: 'Admin API URL',
			name: 'adminUrl',
			type: 'string',
			default: 'http://127.0.0.1:2019',
			required: true,
			description: "Caddy's admin endpoint (the `admin.listen` address)",
		},
		{
			displayName: 'HTTPS Server Name',
			name: 'server',
			type: 'string',
			default: 'srv0',
			required: true,
			description:
				'The key under apps.http.servers that holds the routes (srv0 for a config adapted from a Caddyfile)',
		},
		{
			displayName: 'Certificate Issuer',
			name: 'issuer',
			type: 'options',
			options: [
				{ name: 'Lab ACME CA (e.g. Step-Ca, Pebble)', value: 'acme' },
				{ name: "Caddy's Internal CA", value: 'internal' },
			],
			default: 'acme',
			description:
				'Who issues certificates for new routes. Never a public CA: lab names cannot be validated from the internet.',
		},
		{
			displayName: 'ACME Directory URL',
			name: 'acmeDirectory',
			type: 'string',
			default: '',
			placeholder: 'https://ca.lab.example:9000/acme/acme/directory',
			displayOptions: { show: { issuer: ['acme'] } },
		},
		{
			displayName: "ACME Server's Root File (On the Caddy Host)",
			name: 'acmeTrustedRootsFile',
			type: 'string',
			default: '',
			placeholder: '/etc/caddy/lab-ca.pem',
			description:
				'PEM file Caddy trusts when it talks to the ACME directory over HTTPS; empty: system roots',
			displayOptions: { show: { issuer: ['acme'] } },
		},
		{
			displayName: 'Proxy Address',
			name: 'proxyAddress',
			type: 'string',
			default: '',
			required: true,
			placeholder: '192.168.1.5',
			description: 'The IP address clients reach Caddy at: DNS records of exposed services point here',
		},
		{
			displayName: 'HTTPS Port',
			name: 'httpsPort',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 65535 },
			default: 443,
		},
		{
			displayName: 'CA Bundle Clients Trust (PEM)',
			name: 'caBundle',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			placeholder: '-----BEGIN CERTIFICATE-----',
			description: "The root certificate(s) of the lab's CA, as installed on the lab's clients",
		},
		{
			displayName: 'CA Name',
			name: 'caName',
			type: 'string',
			default: "the lab's CA",
			description: 'How error messages name the CA',
		},
	];
}
