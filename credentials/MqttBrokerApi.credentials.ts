import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

// An MQTT broker (mosquitto, EMQX, ...) shared by every node of this pack that speaks MQTT (Frigate,
// Home Assistant, ...). MQTT is not HTTP, so nodes test it themselves with a real connection
// (credentialTest "mqttBrokerApiTest").
export class MqttBrokerApi implements ICredentialType {
	name = 'mqttBrokerApi';

	displayName = 'MQTT Broker';

	icon: Icon = { light: 'file:mqtt.svg', dark: 'file:mqtt.dark.svg' };

	documentationUrl = 'https://mosquitto.org/man/mosquitto-conf-5.html';

	properties: INodeProperties[] = [
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'mqtt.lab.example',
		},
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			default: 1883,
			description: '1883 for plain MQTT, 8883 for MQTT over TLS',
		},
		{
			displayName: 'TLS',
			name: 'tls',
			type: 'boolean',
			default: false,
			description: 'Whether to connect with TLS (mqtts://)',
		},
		{
			displayName: 'Allow Self-Signed Certificate',
			name: 'allowSelfSigned',
			type: 'boolean',
			default: false,
			description: 'Whether to accept a broker certificate that does not verify',
			displayOptions: { show: { tls: [true] } },
		},
		{
			displayName: 'CA Certificate',
			name: 'ca',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			placeholder: '-----BEGIN CERTIFICATE-----',
			description:
				'PEM of the CA that signed the broker’s certificate (e.g. your own homelab CA), to verify it without allowing self-signed certificates; empty uses the system’s CAs',
			displayOptions: { show: { tls: [true] } },
		},
		{
			displayName: 'Client Certificate',
			name: 'cert',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: '-----BEGIN CERTIFICATE-----',
			description:
				'PEM client certificate, for a broker that requires one (mosquitto: require_certificate true); needs the Client Key',
			displayOptions: { show: { tls: [true] } },
		},
		{
			displayName: 'Client Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: '-----BEGIN PRIVATE KEY-----',
			description: 'PEM private key of the client certificate (unencrypted)',
			displayOptions: { show: { tls: [true] } },
		},
		{
			displayName: 'User',
			name: 'username',
			type: 'string',
			default: '',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			placeholder: 'n8n-homelab',
			description:
				'Prefix of the MQTT client ID. Triggers add the workflow and node to it so that each keeps its own persistent session; leave empty for "n8n-homelab".',
		},
	];
}
