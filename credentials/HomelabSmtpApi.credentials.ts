import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { mailLoginFields } from './shared/mail-credential-fields';

// Tested by the Send Email node's `homelabSmtpConnectionTest` (connect, STARTTLS/TLS, AUTH).
export class HomelabSmtpApi implements ICredentialType {
	name = 'homelabSmtpApi';

	displayName = 'SMTP (Homelab)';

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-homelab#email';

	icon = {
		light: 'file:../nodes/SendEmail/sendEmail.svg',
		dark: 'file:../nodes/SendEmail/sendEmail.dark.svg',
	} as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: '',
			placeholder: 'smtp.example.com',
			required: true,
		},
		{
			displayName: 'Security',
			name: 'security',
			type: 'options',
			options: [
				{ name: 'TLS (Port 465)', value: 'tls' },
				{ name: 'STARTTLS (Port 587)', value: 'starttls' },
				{ name: 'None (Unencrypted, Lab Only)', value: 'none' },
			],
			default: 'starttls',
		},
		{ displayName: 'Port', name: 'port', type: 'number', default: 587, required: true },
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			description: 'Leave empty for a relay that needs no login',
		},
		...mailLoginFields('An OAuth2 access token with SMTP scope (XOAUTH2)'),
		{
			displayName: 'Default Sender',
			name: 'from',
			type: 'string',
			default: '',
			placeholder: 'Homelab <lab@example.com>',
			description: 'Used when the Send Email node leaves "From" empty',
		},
	];
}
