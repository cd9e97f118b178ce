import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

// Tested by the Docker node's `dockerHostApiTest` (ping + version over this credential's own transport):
// n8n's declarative credential test only makes HTTP(S) requests to a URL and cannot reach a unix socket or SSH.
export class DockerHostApi implements ICredentialType {
	name = 'dockerHostApi';

	displayName = 'Docker Host API';

	icon: Icon = { light: 'file:../nodes/Docker/docker.svg', dark: 'file:../nodes/Docker/docker.dark.svg' };

	documentationUrl = 'https://docs.docker.com/engine/security/protect-access/';

	properties: INodeProperties[] = [
		{
			displayName: 'Connection',
			name: 'connection',
			type: 'options',
			default: 'socket',
			options: [
				{
					name: 'Unix Socket',
					value: 'socket',
					description: 'The engine on the machine n8n runs on (or its socket mounted into n8n’s container)',
				},
				{
					name: 'TCP (TLS)',
					value: 'tcp',
					description: 'dockerd listening on TCP, normally port 2376 with TLS client certificates',
				},
				{
					name: 'SSH',
					value: 'ssh',
					description: 'An SSH login on the Docker host, whose user may use the docker socket',
				},
			],
		},
		{
			displayName: 'Socket Path',
			name: 'socketPath',
			type: 'string',
			default: '/var/run/docker.sock',
			displayOptions: { show: { connection: ['socket'] } },
		},
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: '',
			placeholder: 'e.g. nas.lab.example',
			displayOptions: { show: { connection: ['tcp'] } },
		},
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			default: 2376,
			displayOptions: { show: { connection: ['tcp'] } },
		},
		{
			displayName: 'Use TLS',
			name: 'tls',
			type: 'boolean',
			default: true,
			description:
				'Whether to connect with TLS (dockerd --tlsverify); without it anyone on the network controls the host',
			displayOptions: { show: { connection: ['tcp'] } },
		},
		{
			displayName: 'CA Certificate',
			name: 'ca',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			placeholder: '-----BEGIN CERTIFICATE-----',
			description: 'The CA that signed the engine’s certificate (ca.pem)',
			displayOptions: { show: { connection: ['tcp'], tls: [true] } },
		},
		{
			displayName: 'Client Certificate',
			name: 'cert',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			placeholder: '-----BEGIN CERTIFICATE-----',
			description: 'cert.pem, for engines that require client certificates',
			displayOptions: { show: { connection: ['tcp'], tls: [true] } },
		},
		{
			displayName: 'Client Key',
			name: 'clientPrivateKey',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			placeholder: '-----BEGIN PRIVATE KEY-----',
			description: 'key.pem, the private key of the client certificate',
			displayOptions: { show: { connection: ['tcp'], tls: [true] } },
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'skipVerify',
			type: 'boolean',
			default: false,
			description: 'Whether to connect even if the engine’s certificate cannot be verified',
			displayOptions: { show: { connection: ['tcp'], tls: [true] } },
		},
		{
			displayName: 'SSH Host',
			name: 'sshHost',
			type: 'string',
			default: '',
			placeholder: 'e.g. 192.168.1.20',
			displayOptions: { show: { connection: ['ssh'] } },
		},
		{
			displayName: 'SSH Port',
			name: 'sshPort',
			type: 'number',
			default: 22,
			displayOptions: { show: { connection: ['ssh'] } },
		},
		{
			displayName: 'SSH User',
			name: 'sshUser',
			type: 'string',
			default: '',
			displayOptions: { show: { connection: ['ssh'] } },
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			placeholder: '-----BEGIN OPENSSH PRIVATE KEY-----',
			displayOptions: { show: { connection: ['ssh'] } },
		},
		{
			displayName: 'Passphrase',
			name: 'passphrase',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Passphrase of the private key, if it has one',
			displayOptions: { show: { connection: ['ssh'] } },
		},
		{
			displayName: 'SSH Password',
			name: 'sshPassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Password login, when no private key is given',
			displayOptions: { show: { connection: ['ssh'] } },
		},
		{
			displayName: 'Read Only',
			name: 'readOnly',
			type: 'boolean',
			default: false,
			description:
				'Whether to refuse every operation that changes the host (create, start, stop, remove, exec, pull, prune, deploy …); listing, inspecting, logs and stats still work',
		},
		{
			displayName: 'Timeout (Ms)',
			name: 'timeout',
			type: 'number',
			default: 60000,
			description: 'How long an ordinary API call may take; log, event and pull streams are not limited',
		},
	];
}
