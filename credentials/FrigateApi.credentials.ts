import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

// Frigate NVR: either the internal port 5000 (no authentication) or the authenticated port 8971, where the node
// logs in with `POST /api/login` and sends the returned JWT (docs.frigate.video/configuration/authentication).
// The login flow needs code, so the Frigate node tests this credential itself (credentialTest
// "frigateApiTest": logs in when a password is set, then reads the cameras from /api/config). A plain `test`
// request here would take precedence over it in n8n and could not log in.
export class FrigateApi implements ICredentialType {
	name = 'frigateApi';

	displayName = 'Frigate API';

	icon: Icon = { light: 'file:../nodes/Frigate/frigate.svg', dark: 'file:../nodes/Frigate/frigate.dark.svg' };

	documentationUrl = 'https://docs.frigate.video/integrations/api';

	properties: INodeProperties[] = [
		{
			displayName: 'URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'http://frigate.lab:5000',
			description:
				'Base address of Frigate: the internal port 5000 (no login) or the authenticated port 8971 (https)',
		},
		{
			displayName: 'Authentication',
			name: 'auth',
			type: 'options',
			options: [
				{ name: 'None (Internal Port 5000)', value: 'none' },
				{ name: 'User and Password (Port 8971)', value: 'password' },
			],
			default: 'none',
		},
		{
			displayName: 'User',
			name: 'username',
			type: 'string',
			default: '',
			displayOptions: { show: { auth: ['password'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { auth: ['password'] } },
		},
		{
			displayName: 'Allow Self-Signed Certificate',
			name: 'allowSelfSigned',
			type: 'boolean',
			default: false,
			description:
				'Whether to accept a certificate that does not verify (Frigate generates a self-signed one for port 8971)',
		},
	];
}
