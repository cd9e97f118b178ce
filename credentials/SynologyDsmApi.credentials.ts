import type { ICredentialType, INodeProperties } from 'n8n-workflow';

// Tested by the Synology node's `synologyDsmApiTest` (a real SYNO.API.Auth login + logout): DSM's login flow
// (API discovery, device token, 2-step code) cannot be expressed as a declarative credential test.
export class SynologyDsmApi implements ICredentialType {
	name = 'synologyDsmApi';

	displayName = 'Synology DSM API';

	icon = { light: 'file:synology.svg', dark: 'file:synology.dark.svg' } as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-homelab#synology-dsm';

	properties: INodeProperties[] = [
		{
			displayName: 'URL',
			name: 'url',
			type: 'string',
			default: '',
			placeholder: 'https://blackbox.lab:5001',
			required: true,
			description: 'Address of DSM, with scheme and port (5000 for HTTP, 5001 for HTTPS)',
		},
		{
			displayName: 'Account',
			name: 'account',
			type: 'string',
			default: '',
			required: true,
			description:
				'A DSM user for n8n (best a dedicated one with only the shared folders and applications it needs)',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'OTP Secret',
			name: 'otpSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'For accounts with 2-step verification: the secret key DSM shows beside the QR code when you set up the authenticator. n8n then generates codes itself whenever DSM asks for one (e.g. after the device token was revoked).',
		},
		{
			displayName: 'OTP Code',
			name: 'otpCode',
			type: 'string',
			default: '',
			description:
				'Alternative to the secret: a current 6-digit code from your authenticator. Used once for the first login; DSM then trusts n8n as a device, so later logins need no code.',
		},
		{
			displayName: 'Device Name',
			name: 'deviceName',
			type: 'string',
			default: 'n8n',
			description: 'How n8n appears in DSM → Personal → Security → Trusted devices',
		},
		{
			displayName: 'Allow Self-Signed Certificate',
			name: 'allowUnauthorizedCerts',
			type: 'boolean',
			default: false,
			description: "Whether to accept DSM's self-signed HTTPS certificate (the default certificate of a NAS)",
			typeOptions: { password: true },
		},
	];
}
