import type { INodeProperties } from 'n8n-workflow';

/**
 * The login fields the IMAP and SMTP credentials share (clients/email/settings.ts reads them): password or
 * OAuth2 access token, and whether a self-signed certificate is accepted.
 */
export function mailLoginFields(accessTokenDescription: string): INodeProperties[] {
	return [
		{
			displayName: 'Authentication',
			name: 'authType',
			type: 'options',
			options: [
				{ name: 'Password', value: 'password' },
				{ name: 'OAuth2 Access Token', value: 'oauth2' },
			],
			default: 'password',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authType: ['password'] } },
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: accessTokenDescription,
			displayOptions: { show: { authType: ['oauth2'] } },
		},
		{
			displayName: 'Allow Self-Signed Certificate',
			name: 'allowSelfSigned',
			type: 'boolean',
			default: false,
			description:
				'Whether to accept a certificate that does not verify (a lab server with its own certificate)',
		},
	];
}
