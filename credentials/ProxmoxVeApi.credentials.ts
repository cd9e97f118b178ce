import type { IAuthenticateGeneric, Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Proxmox VE API: an API token (recommended) or a user/password ticket login. It has no declarative `test` on
 * purpose: n8n prefers that over a node's `testedBy`, and only the Proxmox VE node's
 * `proxmoxVeApiCredentialTest` can log in with a ticket and tell a wrong token (401) from a token without
 * privileges (403, privilege separation).
 */
export class ProxmoxVeApi implements ICredentialType {
	name = 'proxmoxVeApi';

	displayName = 'Proxmox VE API';

	icon: Icon = {
		light: 'file:../nodes/ProxmoxVe/proxmox.svg',
		dark: 'file:../nodes/ProxmoxVe/proxmox.dark.svg',
	};

	documentationUrl = 'https://pve.proxmox.com/wiki/Proxmox_VE_API#API_Tokens';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://pve1.lab.example:8006',
			description: 'Address of any node of the cluster, with the port (8006 by default)',
		},
		{
			displayName: 'Authentication',
			name: 'authType',
			type: 'options',
			options: [
				{ name: 'API Token', value: 'token' },
				{ name: 'User and Password (Ticket)', value: 'password' },
			],
			default: 'token',
		},
		{
			displayName: 'Token ID',
			name: 'tokenId',
			type: 'string',
			default: '',
			placeholder: 'root@pam!n8n',
			description:
				'USER@REALM!TOKENNAME, as listed under Datacenter → Permissions → API Tokens. A token created with "Privilege Separation" only has the permissions given to the token itself.',
			displayOptions: { show: { authType: ['token'] } },
		},
		{
			displayName: 'Token Secret',
			name: 'tokenSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: '0b5c1d2e-…',
			description: 'The UUID Proxmox showed once when the token was created',
			displayOptions: { show: { authType: ['token'] } },
		},
		{
			displayName: 'User',
			name: 'username',
			type: 'string',
			default: '',
			placeholder: 'root@pam',
			description: 'USER@REALM (realm pam when left out)',
			displayOptions: { show: { authType: ['password'] } },
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
			displayName: 'Allow Self-Signed Certificate',
			name: 'allowSelfSigned',
			type: 'boolean',
			default: false,
			description:
				'Whether to accept a certificate that does not verify, like the self-signed one of a fresh Proxmox install. Prefer installing a trusted certificate (ACME) instead.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization:
					'={{ $credentials.authType === "token" ? "PVEAPIToken=" + $credentials.tokenId + "=" + $credentials.tokenSecret : "" }}',
			},
		},
	};
}
