import type { IDataObject, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	HomeAssistantError,
	type ConnectedInfo,
	type HassEvent,
	type HassState,
	type HassTriggerEvent,
	type HomeAssistantSocket,
	type StateChangedData,
	type Subscription,
} from '../../clients/homeassistant';
import { describeError } from '../../shared/errors';
import { socketClient, toNodeError } from '../HomeAssistant/transport';
import { splitList, StateWatcher, type RememberedState, type StateChange } from './state-watcher';

// One WebSocket per active workflow (https://developers.home-assistant.io/docs/api/websocket). The shared client
// reconnects with backoff and re-subscribes on every new connection, so the trigger keeps working across Home
// Assistant restarts; for state changes it also compares states after a reconnect and emits what changed
// while it was disconnected (once — changes are keyed by entity, last_updated and context).

/** The trigger's work, apart from its description so it can be tested without n8n. */
export async function startTrigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
	const triggerOn = this.getNodeParameter('triggerOn') as 'stateChanged' | 'event' | 'trigger';
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const maxDelayMs = Math.max(1, Number(options.maxReconnectDelay ?? 30)) * 1000;
	const node = this.getNode();
	const emitJson = (json: IDataObject) => this.emit([this.helpers.returnJsonArray([json])]);
	let socket: HomeAssistantSocket | undefined;
	let subscriptions: Subscription[] = [];
	let watcher: StateWatcher | undefined;
	let closed = false;
	let retryTimer: NodeJS.Timeout | undefined;

	/** One connection attempt with every subscription; on failure everything it opened is closed again. */
	const setup = async (): Promise<void> => {
		const current = await socketClient(this, { reconnect: true, initialDelayMs: 1000, maxDelayMs });
		socket = current;
		subscriptions = [];
		current.on('disconnected', (why: string) =>
			this.logger.warn(`Home Assistant Trigger "${node.name}": connection ${why}; reconnecting`),
		);
		current.on(
			'reconnecting',
			({ attempt, delayMs, error }: { attempt: number; delayMs: number; error?: unknown }) =>
				this.logger.info(
					`Home Assistant Trigger "${node.name}": reconnect attempt ${attempt} in ${delayMs} ms${error ? ` (last: ${describeError(error)})` : ''}`,
				),
		);
		current.on('problem', (error: Error) =>
			this.logger.warn(`Home Assistant Trigger "${node.name}": ${describeError(error)}`),
		);
		await current.connect();
		if (triggerOn === 'stateChanged') {
			const entities = splitList(this.getNodeParameter('entities') as string);
			if (!entities.length) throw new NodeOperationError(node, 'Entities is empty');
			// The last states seen live in the workflow's static data, so that after an n8n restart (or a
			// deactivation) the changes made meanwhile are emitted as a catch-up. n8n writes static data when a
			// trigger emits (not later), so they are stored right before each emit.
			const persist = this.getMode() !== 'manual';
			const staticData = this.getWorkflowStaticData('node');
			const remember = () => {
				if (persist) staticData.lastSeen = activeWatcher.remembered() as unknown as IDataObject[];
			};
			const activeWatcher: StateWatcher = new StateWatcher(
				{
					entities,
					from: splitList(this.getNodeParameter('from', '') as string),
					to: splitList(this.getNodeParameter('to', '') as string),
					forMs: Math.max(0, Number(this.getNodeParameter('forSeconds', 0))) * 1000,
					ignoreAttributeOnly: options.ignoreAttributeOnly !== false,
					ignoreUnavailable: options.ignoreUnavailable !== false,
				},
				(change: StateChange) => {
					remember();
					emitJson({ event_type: 'state_changed', ...(change as unknown as IDataObject) });
				},
			);
			watcher = activeWatcher;
			subscriptions.push(
				await current.subscribe({ type: 'subscribe_events', event_type: 'state_changed' }, (event) =>
					activeWatcher.handleEvent((event as HassEvent<StateChangedData>).data),
				),
			);
			// After subscribing: every later change arrives as an event, so the seed misses nothing.
			const states = await current.getStates<HassState[]>();
			const saved = staticData.lastSeen as unknown as RememberedState[] | undefined;
			if (persist && options.catchUp !== false && Array.isArray(saved)) {
				activeWatcher.restore(saved);
				const missed = activeWatcher.catchUp(states);
				if (missed) {
					this.logger.info(
						`Home Assistant Trigger "${node.name}": ${missed} state change(s) found since the workflow last ran`,
					);
				}
			}
			activeWatcher.seed(states);
			// the activation's save (or the next emit's) keeps the baseline for catching up after a restart
			remember();
			if (options.catchUp !== false) {
				const compare = (when: string) => {
					current
						.getStates<HassState[]>()
						.then((states) => {
							const missed = activeWatcher.catchUp(states);
							if (missed) {
								this.logger.info(
									`Home Assistant Trigger "${node.name}": ${missed} state change(s) found ${when}`,
								);
							}
						})
						.catch((error: unknown) =>
							this.logger.warn(
								`Home Assistant Trigger "${node.name}": could not compare states ${when}: ${describeError(error)}`,
							),
						);
				};
				current.on('connected', (info: ConnectedInfo) => {
					if (info.reconnected) compare('after reconnecting');
				});
				// Integrations load after the WebSocket API: entities unavailable at reconnect get their state later.
				subscriptions.push(
					await current.subscribe({ type: 'subscribe_events', event_type: 'homeassistant_started' }, () =>
						compare('when Home Assistant finished starting'),
					),
				);
			}
		} else if (triggerOn === 'event') {
			const eventType = (this.getNodeParameter('eventType', '') as string).trim();
			subscriptions.push(
				await current.subscribe(
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
				await current.subscribe({ type: 'subscribe_trigger', trigger: definition }, (event) => {
					const fired = event as HassTriggerEvent;
					emitJson({
						...(fired.variables?.trigger ?? {}),
						context: (fired.context ?? null) as unknown as IDataObject,
					});
				}),
			);
		}
	};
	const teardown = async (): Promise<void> => {
		watcher?.stop();
		watcher = undefined;
		const current = socket;
		socket = undefined;
		await Promise.allSettled(subscriptions.map(async (subscription) => await subscription.unsubscribe()));
		await current?.close();
	};

	// When n8n itself starts (or takes over leadership), Home Assistant may still be booting — after a power
	// cut the whole homelab comes up at once. Then the trigger keeps trying in the background instead of
	// failing the activation; when a user activates the workflow, a wrong URL or token fails at once.
	const mode = this.getActivationMode();
	if (mode === 'init' || mode === 'leadershipChange') {
		let delayMs = 1000;
		const attempt = () => {
			setup().catch(async (error: unknown) => {
				await teardown();
				if (closed) return;
				if (
					error instanceof HomeAssistantError &&
					(error.kind === 'connection' || error.kind === 'timeout')
				) {
					this.logger.warn(
						`Home Assistant Trigger "${node.name}": Home Assistant is not reachable yet (${describeError(error)}); trying again in ${delayMs} ms`,
					);
					retryTimer = setTimeout(attempt, delayMs);
					delayMs = Math.min(delayMs * 2, maxDelayMs);
					return;
				}
				this.emitError(toNodeError(node, error));
			});
		};
		attempt();
	} else {
		try {
			await setup();
		} catch (error) {
			await teardown();
			throw toNodeError(node, error);
		}
	}

	const closeFunction = async () => {
		closed = true;
		clearTimeout(retryTimer);
		await teardown();
	};
	return { closeFunction };
}
