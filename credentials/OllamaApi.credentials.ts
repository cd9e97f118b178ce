import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { credentialHeaders } from '../shared/request-headers';

export class OllamaApi implements ICredentialType {
	name = 'ollamaApi';

	displayName = 'Ollama (Homelab) API';

	icon: Icon = { light: 'file:ollama.svg', dark: 'file:ollama.dark.svg' };

	documentationUrl = 'https://github.com/ollama/ollama/blob/main/docs/api.md';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://127.0.0.1:11434',
			required: true,
			placeholder: 'http://host.docker.internal:11434',
			description:
				'Address of the Ollama server. When n8n runs in Docker and Ollama on the host, use http://host.docker.internal:11434 (on Linux add --add-host=host.docker.internal:host-gateway to the container) and start Ollama with OLLAMA_HOST=0.0.0.0.',
		},
		{
			displayName: 'API Key / Bearer Token',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. Sent as "Authorization: Bearer ..." for a reverse proxy in front of Ollama; plain Ollama needs none.',
		},
		{
			displayName: 'Extra Headers (JSON)',
			name: 'extraHeaders',
			type: 'string',
			default: '',
			placeholder: '{"CF-Access-Client-Id": "...", "CF-Access-Client-Secret": "..."}',
			description: 'Optional headers a proxy needs, as a JSON object of header name to value',
		},
	];

	authenticate: IAuthenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		requestOptions.headers = { ...(requestOptions.headers ?? {}), ...credentialHeaders(credentials) };
		return await Promise.resolve(requestOptions);
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ String($credentials.baseUrl).trim().replace(/\\/+$/, "") }}',
			url: '/api/version',
			method: 'GET',
		},
	};
}
