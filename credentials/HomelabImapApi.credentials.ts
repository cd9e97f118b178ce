import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { mailLoginFields } from './shared/mail-credential-fields';

// Tested by the IMAP Trigger node's `homelabImapConnectionTest` (log in, open INBOX): n8n's declarative
// credential test only speaks HTTP.
export class HomelabImapApi implements ICredentialType {
	name = 'homelabImapApi';

	displayName = 'IMAP (Homelab)';

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-homelab#email';

	icon = {
		light: 'file:../nodes/ImapTrigger/imap.svg',
		dark: 'file:../nodes/ImapTrigger/imap.dark.svg',
	} as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: '',
			placeholder: 'imap.example.com',
			required: true,
		},
		{
			displayName: 'Security',
			name: 'security',
			type: 'options',
			options: [
				{ name: 'TLS (Port 993)', value: 'tls' },
				{ name: 'STARTTLS (Port 143)', value: 'starttls' },
				{ name: 'None (Unencrypted)', value: 'none' },
			],
			default: 'tls',
		},
		{ displayName: 'Port', name: 'port', type: 'number', default: 993, required: true },
		{ displayName: 'User', name: 'user', type: 'string', default: '', required: true },
		...mailLoginFields('An OAuth2 access token with IMAP scope (XOAUTH2)'),
	];
}
