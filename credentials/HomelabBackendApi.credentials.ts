import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class HomelabBackendApi implements ICredentialType {
	name = 'homelabBackendApi';

	displayName = 'Homelab Backend API';

	icon = {
		light: 'file:../nodes/HomelabBackend/homelabBackend.svg',
		dark: 'file:../nodes/HomelabBackend/homelabBackend.dark.svg',
	} as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-homelab';

	properties: INodeProperties[] = [
		{
			displayName: 'Backend URL',
			name: 'url',
			type: 'string',
			default: 'http://backend:8787',
			placeholder: 'http://127.0.0.1:8787',
			description: 'Base URL of homelab-backend, as n8n reaches it',
			required: true,
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The HOMELAB_BACKEND_TOKEN the backend was started with',
			required: true,
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.token}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.url.replace(/\\/+$/, "")}}', url: '/v1/info' },
	};
}
