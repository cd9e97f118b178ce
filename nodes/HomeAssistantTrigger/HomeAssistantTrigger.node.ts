import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import type {
	ConnectedInfo,
	HassEvent,
	HassState,
	HassTriggerEvent,
	StateChangedData,
	Subscription,
} from '../../clients/homeassistant';
import { describeError } from '../../shared/errors';
import { listSearch, loadOptions } from '../HomeAssistant/methods';
import { credentialTest } from '../HomeAssistant/methods/credentialTest';
import { socketClient, toNodeError } from '../HomeAssistant/transport';
import { splitList, StateWatcher, type StateChange } from './state-watcher';

// One WebSocket per active workflow (https://developers.home-assistant.io/docs/api/websocket). The shared client
// reconnects with backoff and re-subscribes on every new connection, so the trigger keeps working across Home
// Assistant restarts; for state changes it also compares states after a reconnect and emits what changed
// while it was disconnected (once — changes are keyed by entity, last_updated and context).

export class HomeAssistantTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Home Assistant (Homelab) Trigger',
		name: 'homeAssistantTrigger',
		icon: { light: 'file:homeassistant.svg', dark: 'file:homeassistant.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["triggerOn"]}}',
		description:
			'Starts the workflow on Home Assistant state changes, events or triggers, over the WebSocket API; survives Home Assistant restarts',
		defaults: { name: 'Home Assistant Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'homelabHomeAssistantApi', required: true, testedBy: 'homeAssistantApiTest' }],
		properties: [
			{
				displayName: 'Trigger On',
				name: 'triggerOn',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'State Change',
						value: 'stateChanged',
						description: 'An entity (or entities matching a pattern) changes state',
					},
					{ name: 'Event', value: 'event', description: 'An event of a type, or any event, is fired' },
					{
						name: 'Trigger Definition',
						value: 'trigger',
						description: 'An automation trigger (YAML/JSON as in automations) fires, via subscribe_trigger',
					},
				],
				default: 'stateChanged',
			},
			{
				displayName: 'Entities',
				name: 'entities',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'binary_sensor.front_door_motion, light.*',
				description: 'Entity IDs or patterns with *, separated by commas',
				displayOptions: { show: { triggerOn: ['stateChanged'] } },
			},
			{
				displayName: 'From',
				name: 'from',
				type: 'string',
				default: '',
				placeholder: 'off',
				description: 'Only changes from this state (several separated by commas); empty means any',
				displayOptions: { show: { triggerOn: ['stateChanged'] } },
			},
			{
				displayName: 'To',
				name: 'to',
				type: 'string',
				default: '',
				placeholder: 'on',
				description: 'Only changes to this state (several separated by commas); empty means any',
				displayOptions: { show: { triggerOn: ['stateChanged'] } },
			},
			{
				displayName: 'For (Seconds)',
				name: 'forSeconds',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Only when the new state holds this long (0 means at once)',
				displayOptions: { show: { triggerOn: ['stateChanged'] } },
			},
			{
				displayName: 'Event Type',
				name: 'eventType',
				type: 'string',
				default: '',
				placeholder: 'zha_event',
				description: 'The event type to listen to; empty means every event',
				displayOptions: { show: { triggerOn: ['event'] } },
			},
			{
				displayName: 'Trigger',
				name: 'triggerDefinition',
				type: 'json',
				required: true,
				default:
					'{\n  "platform": "state",\n  "entity_id": "binary_sensor.front_door_motion",\n  "to": "on"\n}',
				description: 'One trigger or a list, as in an automation (JSON)',
				displayOptions: { show: { triggerOn: ['trigger'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Catch Up After Reconnect',
						name: 'catchUp',
						type: 'boolean',
						default: true,
						description:
							'Whether, after a reconnect (e.g. a Home Assistant restart), state changes missed while disconnected are emitted (marked caught_up: true)',
						displayOptions: { show: { '/triggerOn': ['stateChanged'] } },
					},
					{
						displayName: 'Ignore Attribute-Only Changes',
						name: 'ignoreAttributeOnly',
						type: 'boolean',
						default: true,
						description:
							'Whether changes where only attributes changed (the state stayed the same) are skipped',
						displayOptions: { show: { '/triggerOn': ['stateChanged'] } },
					},
					{
						displayName: 'Ignore Unavailable/Unknown',
						name: 'ignoreUnavailable',
						type: 'boolean',
						default: true,
						description:
							'Whether changes from or to unavailable/unknown are skipped (unless From/To name them); restarts produce many',
						displayOptions: { show: { '/triggerOn': ['stateChanged'] } },
					},
					{
						displayName: 'Max Reconnect Delay (Seconds)',
						name: 'maxReconnectDelay',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 30,
						description: 'Reconnect attempts start after 1 s and double up to this delay',
					},
				],
			},
		],
	};

	methods = { listSearch, loadOptions, credentialTest };

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const triggerOn = this.getNodeParameter('triggerOn') as 'stateChanged' | 'event' | 'trigger';
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const maxDelayMs = Math.max(1, Number(options.maxReconnectDelay ?? 30)) * 1000;
		const node = this.getNode();
		const emitJson = (json: IDataObject) => this.emit([this.helpers.returnJsonArray([json])]);
		const socket = await socketClient(this, { reconnect: true, initialDelayMs: 1000, maxDelayMs });
		const subscriptions: Subscription[] = [];
		let watcher: StateWatcher | undefined;

		socket.on('disconnected', (why: string) =>
			this.logger.warn(`Home Assistant Trigger "${node.name}": connection ${why}; reconnecting`),
		);
		socket.on(
			'reconnecting',
			({ attempt, delayMs, error }: { attempt: number; delayMs: number; error?: unknown }) =>
				this.logger.info(
					`Home Assistant Trigger "${node.name}": reconnect attempt ${attempt} in ${delayMs} ms${error ? ` (last: ${describeError(error)})` : ''}`,
				),
		);
		socket.on('problem', (error: Error) =>
			this.logger.warn(`Home Assistant Trigger "${node.name}": ${describeError(error)}`),
		);

		try {
			await socket.connect();
			if (triggerOn === 'stateChanged') {
				const entities = splitList(this.getNodeParameter('entities') as string);
				if (!entities.length) throw new NodeOperationError(node, 'Entities is empty');
				const activeWatcher = new StateWatcher(
					{
						entities,
						from: splitList(this.getNodeParameter('from', '') as string),
						to: splitList(this.getNodeParameter('to', '') as string),
						forMs: Math.max(0, Number(this.getNodeParameter('forSeconds', 0))) * 1000,
						ignoreAttributeOnly: options.ignoreAttributeOnly !== false,
						ignoreUnavailable: options.ignoreUnavailable !== false,
					},
					(change: StateChange) =>
						emitJson({ event_type: 'state_changed', ...(change as unknown as IDataObject) }),
				);
				watcher = activeWatcher;
				subscriptions.push(
					await socket.subscribe({ type: 'subscribe_events', event_type: 'state_changed' }, (event) =>
						activeWatcher.handleEvent((event as HassEvent<StateChangedData>).data),
					),
				);
				// After subscribing: every later change arrives as an event, so the seed misses nothing.
				activeWatcher.seed(await socket.getStates<HassState[]>());
				if (options.catchUp !== false) {
					socket.on('connected', (info: ConnectedInfo) => {
						if (!info.reconnected) return;
						socket
							.getStates<HassState[]>()
							.then((states) => {
								const missed = activeWatcher.catchUp(states);
								if (missed) {
									this.logger.info(
										`Home Assistant Trigger "${node.name}": ${missed} state change(s) happened while disconnected`,
									);
								}
							})
							.catch((error: unknown) =>
								this.logger.warn(
									`Home Assistant Trigger "${node.name}": could not compare states after reconnecting: ${describeError(error)}`,
								),
							);
					});
				}
			} else if (triggerOn === 'event') {
				const eventType = (this.getNodeParameter('eventType', '') as string).trim();
				subscriptions.push(
					await socket.subscribe(
						{ type: 'subscribe_events', ...(eventType ? { event_type: eventType } : {}) },
						(event) => emitJson(event as IDataObject),
					),
				);
			} else {
				const raw = this.getNodeParameter('triggerDefinition') as unknown;
				let definition: unknown = raw;
				if (typeof raw === 'string') {
					try {
						definition = JSON.parse(raw) as unknown;
					} catch (error) {
						throw new NodeOperationError(node, `Trigger is not valid JSON: ${(error as Error).message}`);
					}
				}
				subscriptions.push(
					await socket.subscribe({ type: 'subscribe_trigger', trigger: definition }, (event) => {
						const fired = event as HassTriggerEvent;
						emitJson({
							...(fired.variables?.trigger ?? {}),
							context: (fired.context ?? null) as unknown as IDataObject,
						});
					}),
				);
			}
		} catch (error) {
			watcher?.stop();
			await socket.close();
			throw toNodeError(node, error);
		}

		const closeFunction = async () => {
			watcher?.stop();
			await Promise.allSettled(subscriptions.map(async (subscription) => await subscription.unsubscribe()));
			await socket.close();
		};
		return { closeFunction };
	}
}
