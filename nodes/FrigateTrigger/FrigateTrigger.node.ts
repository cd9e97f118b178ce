import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type {
	IDataObject,
	IRun,
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { IncidentGate, type EmitMode, type IncidentSource, type MessageType } from '../../clients/frigate';
import { splitList } from '../../shared/values';
import {
	Backoff,
	brokerUrl,
	clientOptions,
	closeMqtt,
	describeMqttError,
	sessionClientId,
} from '../../clients/mqtt';
import { mqttBrokerApiTest } from '../Frigate/methods';
import { mqttConnection } from '../Frigate/transport';

// Frigate publishes incidents on MQTT (docs.frigate.video/integrations/mqtt): `frigate/reviews` carries one
// review item per incident (alert or detection; new -> update... -> end) and `frigate/events` one tracked
// object (new -> update... -> end). This trigger subscribes with QoS 1 on a persistent session (clean: false,
// a client id fixed per workflow and node), so messages published while n8n or the broker restarts are
// delivered afterwards; the incident gate emits each incident once and drops redelivered duplicates.

/**
 * Emitted keys kept across n8n restarts: enough for every incident that can still be open or redelivered
 * (Frigate ends an incident within minutes), small enough to rewrite with each emit.
 */
const REMEMBERED_KEYS = 200;

export class FrigateTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Frigate Trigger',
		name: 'frigateTrigger',
		icon: { light: 'file:frigate.svg', dark: 'file:frigate.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["source"] === "events" ? "tracked objects" : "incidents (reviews)"}}',
		description: 'Starts the workflow once per Frigate incident or tracked object, over MQTT',
		defaults: { name: 'Frigate Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'mqttBrokerApi', required: true, testedBy: 'mqttBrokerApiTest' }],
		properties: [
			{
				displayName: 'Listen To',
				name: 'source',
				type: 'options',
				options: [
					{
						name: 'Incidents (Frigate/reviews)',
						value: 'reviews',
						description: 'One review item per incident: an alert or a detection, however many objects',
					},
					{
						name: 'Tracked Objects (Frigate/events)',
						value: 'events',
						description: 'One event per tracked object (person, car, ...)',
					},
				],
				default: 'reviews',
			},
			{
				displayName: 'Emit',
				name: 'emit',
				type: 'options',
				options: [
					{
						name: 'When It Ends',
						value: 'end',
						description: 'One item per incident, when Frigate publishes its final "end" message',
					},
					{
						name: 'Once per ID, as Soon as It Matches',
						value: 'first',
						description: 'One item per incident, on the first message that passes the filters',
					},
					{
						name: 'Every Matching Message',
						value: 'every',
						description: 'Each new/update/end message of the selected types',
					},
				],
				default: 'end',
			},
			{
				displayName: 'Message Types',
				name: 'types',
				type: 'multiOptions',
				options: [
					{ name: 'New', value: 'new' },
					{ name: 'Update', value: 'update' },
					{ name: 'End', value: 'end' },
				],
				default: ['new', 'update', 'end'],
				displayOptions: { show: { emit: ['every'] } },
			},
			{
				displayName: 'Cameras',
				name: 'cameras',
				type: 'string',
				default: '',
				placeholder: 'front_door, driveway',
				description: 'Comma-separated camera names; empty means all',
			},
			{
				displayName: 'Labels',
				name: 'labels',
				type: 'string',
				default: '',
				placeholder: 'person, car',
				description: 'Comma-separated objects or sub labels (e.g. a recognised face); empty means all',
			},
			{
				displayName: 'Zones',
				name: 'zones',
				type: 'string',
				default: '',
				placeholder: 'porch, yard',
				description: 'Comma-separated zones; empty means anywhere',
			},
			{
				displayName: 'Severity',
				name: 'severity',
				type: 'options',
				options: [
					{ name: 'Any', value: 'any' },
					{ name: 'Alert', value: 'alert' },
					{ name: 'Detection', value: 'detection' },
				],
				default: 'any',
				displayOptions: { show: { source: ['reviews'] } },
			},
			{
				displayName: 'Minimum Score',
				name: 'minScore',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
				default: 0,
				description: 'Only objects whose top score reaches this (0-1); 0 means any',
				displayOptions: { show: { source: ['events'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Client ID',
						name: 'clientId',
						type: 'string',
						default: '',
						description:
							'MQTT client ID of this trigger; empty derives a stable one from the credential, the workflow and the node. Two triggers must never share one.',
					},
					{
						displayName: 'Max Parallel Executions',
						name: 'maxParallel',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 25,
						description:
							'How many executions may run at once; further incidents wait on the broker (QoS 1) until one finishes, so a burst cannot overload n8n. Too low throttles below what n8n can run (5 did, at 50 incidents/s).',
					},
					{
						displayName: 'Persistent Session',
						name: 'persistentSession',
						type: 'boolean',
						default: true,
						description:
							'Whether the broker keeps the subscription and queues QoS 1 messages while n8n or the connection is down',
					},
					{
						displayName: 'Topic Prefix',
						name: 'topicPrefix',
						type: 'string',
						default: 'frigate',
						description: 'Frigate’s mqtt.topic_prefix',
					},
				],
			},
		],
	};

	methods = { credentialTest: { mqttBrokerApiTest } };

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const credentials = await this.getCredentials('mqttBrokerApi');
		const config = mqttConnection(credentials);
		const source = this.getNodeParameter('source', 'reviews') as IncidentSource;
		const emit = this.getNodeParameter('emit', 'end') as EmitMode;
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const prefix = (typeof options.topicPrefix === 'string' ? options.topicPrefix : 'frigate')
			.trim()
			.replace(/\/+$/, '');
		if (!prefix || /[#+]/.test(prefix)) {
			throw new NodeOperationError(this.getNode(), `Topic prefix "${prefix}" is empty or has MQTT wildcards`);
		}
		const gate = new IncidentGate({
			source,
			emit,
			types: emit === 'every' ? (this.getNodeParameter('types', []) as MessageType[]) : undefined,
			cameras: splitList(this.getNodeParameter('cameras', '') as string),
			labels: splitList(this.getNodeParameter('labels', '') as string),
			zones: splitList(this.getNodeParameter('zones', '') as string),
			severity: source === 'reviews' ? (this.getNodeParameter('severity', 'any') as 'any') : undefined,
			minScore: source === 'events' ? (this.getNodeParameter('minScore', 0) as number) : undefined,
		});
		const topic = `${prefix}/${source}`;
		const manual = this.getMode() === 'manual';
		// What was emitted lately lives in the workflow's static data too: after an n8n restart the broker
		// redelivers unacknowledged QoS 1 messages, and an incident emitted on its "new" message (emit "first")
		// keeps sending updates; both must not emit again. n8n writes static data when a trigger emits (not
		// later), so the key is stored before the emit.
		const staticData = this.getWorkflowStaticData('node');
		let recentKeys = manual || !Array.isArray(staticData.emitted) ? [] : (staticData.emitted as string[]);
		gate.remember(recentKeys);
		// A manual test run must not take over (and later end) the active workflow's persistent session.
		const persistent = !manual && options.persistentSession !== false;
		const explicitId = typeof options.clientId === 'string' ? options.clientId.trim() : '';
		const clientId = manual
			? `${config.clientId || 'n8n-homelab'}-frigate-test-${Math.random().toString(16).slice(2, 10)}`
			: explicitId ||
				sessionClientId(
					config.clientId ?? '',
					'frigate',
					`${this.getWorkflow().id ?? ''}:${this.getNode().id}`,
				);

		const backoff = new Backoff(500, 30000);
		let url: string;
		let connectOptions: IClientOptions;
		try {
			url = brokerUrl(config);
			// Reconnecting is done here (below) rather than by mqtt.js, whose fixed interval cannot back off.
			connectOptions = clientOptions(config, { clean: !persistent, clientId, reconnectMs: 0 });
		} catch (error) {
			throw new NodeOperationError(this.getNode(), (error as Error).message, {
				description: 'Check the MQTT Broker credential',
			});
		}
		const client: MqttClient = mqtt.connect(url, connectOptions);
		let closing = false;
		let reconnectTimer: NodeJS.Timeout | undefined;
		const stop = () => {
			closing = true;
			clearTimeout(reconnectTimer);
			reconnectTimer = undefined;
		};

		// Messages are handled in mqtt.js's handleMessage hook: for QoS 1 it sends PUBACK, and reads the next
		// packet, only when the callback runs. Up to maxParallel executions run at once; at the limit the
		// callback waits for one to finish, so the rest of a burst stays queued on the broker (and survives a
		// restart of n8n) instead of piling up inside n8n. The default of 25 is what bench/frigate-latency.ts
		// found fastest: n8n spends most of an execution waiting (database, event loop), so 5 at a time left it
		// idle (incidents queued on the broker although n8n could run more), while no limit at all (the built-in
		// MQTT Trigger) lets a backlog of hundreds of executions slow every one of them down.
		const maxParallel = Math.max(1, Math.floor(Number(options.maxParallel ?? 25)) || 25);
		let running = 0;
		let held: (() => void) | undefined;
		const finished = () => {
			running--;
			const release = held;
			held = undefined;
			release?.();
		};
		client.handleMessage = (packet, callback) => {
			const decision = gate.decide(packet.payload as Buffer);
			if (!decision.emit) return callback();
			if (!manual) {
				recentKeys = [...recentKeys, decision.key].slice(-REMEMBERED_KEYS);
				staticData.emitted = recentKeys;
			}
			const done = this.helpers.createDeferredPromise<IRun>();
			running++;
			let settled = false;
			const settle = () => {
				if (settled) return;
				settled = true;
				clearTimeout(safety);
				finished();
			};
			// A stuck execution must not stall the subscription forever.
			const safety = setTimeout(settle, 120000);
			done.promise.then(settle, settle);
			this.emit(
				[[{ json: { ...decision.incident, topic: packet.topic, receivedAt: new Date().toISOString() } }]],
				undefined,
				done,
			);
			if (running < maxParallel) callback();
			else held = () => callback();
		};
		client.on('connect', (connack) => {
			backoff.reset();
			if (!connack.sessionPresent) {
				client.subscribe(topic, { qos: 1 }, (error) => {
					if (error) this.logger.error(`Frigate Trigger could not subscribe to ${topic}: ${error.message}`);
				});
			}
		});
		client.on('close', () => {
			if (closing || reconnectTimer) return;
			// Back off: 0.5 s, 1 s, 2 s, ... up to 30 s between attempts while the broker stays away.
			reconnectTimer = setTimeout(() => {
				reconnectTimer = undefined;
				// keep the stores: QoS 1/2 packets in flight survive the reconnect
				if (!closing)
					client.reconnect({ incomingStore: client.incomingStore, outgoingStore: client.outgoingStore });
			}, backoff.next());
		});
		client.on('error', (error) => {
			this.logger.warn(
				`Frigate Trigger MQTT error (${url}, client ${clientId}): ${describeMqttError(error)}`,
			);
		});

		// Fail activation with a clear reason when the broker cannot be reached or refuses the login.
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => done(new Error('no answer within 15 s')), 15000);
			const onConnect = () => done();
			const onError = (error: Error) => done(error);
			const done = (error?: Error) => {
				clearTimeout(timer);
				client.off('connect', onConnect);
				client.off('error', onError);
				if (error) reject(error);
				else resolve();
			};
			client.once('connect', onConnect);
			client.once('error', onError);
		}).catch(async (error: unknown) => {
			stop();
			client.end(true);
			throw new NodeOperationError(
				this.getNode(),
				`Could not connect to the MQTT broker ${url}: ${describeMqttError(error, config.tls)}`,
				{ description: 'Check the MQTT Broker credential and that the broker runs' },
			);
		});

		const closeFunction = async () => {
			stop();
			await closeMqtt(client);
		};
		return { closeFunction, manualTriggerFunction: async () => {} };
	}
}
