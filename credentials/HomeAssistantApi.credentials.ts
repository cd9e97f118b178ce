import type { IAuthenticateGeneric, Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

// Named homelabHomeAssistantApi so it never collides with n8n's built-in homeAssistantApi credential.
// Its test is the nodes' `homeAssistantApiTest` (testedBy): GET /api/ and WebSocket auth, with the same client.
export class HomeAssistantApi implements ICredentialType {
	name = 'homelabHomeAssistantApi';

	displayName = 'Home Assistant (Homelab) API';

	icon: Icon = { light: 'file:homeassistant.svg', dark: 'file:homeassistant.dark.svg' };

	documentationUrl = 'https://developers.home-assistant.io/docs/api/rest/';

	properties: INodeProperties[] = [
		{
			displayName: 'URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'http://homeassistant.local:8123',
			description: 'The address of Home Assistant as you open it in a browser',
		},
		{
			displayName: 'Long-Lived Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Create one in Home Assistant: your profile → Security → Long-lived access tokens',
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'ignoreSslIssues',
			type: 'boolean',
			default: false,
			description: 'Whether to connect even if the HTTPS certificate does not verify (self-signed)',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};
}
