import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	HomeAssistantError,
	type ConnectedInfo,
	type HassEvent,
	type HassState,
	type StateChangedData,
} from '../../../../clients/homeassistant';
import { describeError } from '../../../../shared/errors';
import { splitList } from '../../../../shared/values';
import { call, entityParameter, socketClient } from '../../transport';
import { entityLocator } from '../common';

const showFor = { resource: ['state'], operation: ['waitUntil'] };

export const description: INodeProperties[] = [
	entityLocator(showFor),
	{
		displayName: 'Target State',
		name: 'targetState',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'on',
		description: 'The state to wait for; several separated by commas mean any of them',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 60,
		description: 'How long to wait at most; 0 waits until the execution is cancelled',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'On Timeout',
		name: 'onTimeout',
		type: 'options',
		options: [
			{ name: 'Stop With an Error', value: 'error' },
			{ name: 'Continue With timedOut: True', value: 'continue' },
		],
		default: 'error',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Check Current State First',
		name: 'checkCurrent',
		type: 'boolean',
		default: true,
		description:
			'Whether an entity that is already in the target state finishes the wait at once (otherwise only a change into it counts)',
		displayOptions: { show: showFor },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const entityId = entityParameter(this, 'entityId', itemIndex);
	const targets = splitList(this.getNodeParameter('targetState', itemIndex));
	const timeoutSeconds = this.getNodeParameter('timeout', itemIndex, 60) as number;
	const onTimeout = this.getNodeParameter('onTimeout', itemIndex, 'error') as 'error' | 'continue';
	const checkCurrent = this.getNodeParameter('checkCurrent', itemIndex, true) as boolean;
	if (!targets.length) {
		throw new NodeOperationError(this.getNode(), 'Target State is empty', { itemIndex });
	}
	const signal = this.getExecutionCancelSignal();
	const node = this.getNode();
	const started = Date.now();
	// Reconnects (and re-subscribes) if Home Assistant restarts during a long wait.
	const socket = await socketClient(this, { reconnect: true, initialDelayMs: 500, maxDelayMs: 10000 });
	try {
		return await call(
			this,
			async () => {
				await socket.connect();
				return await new Promise<IDataObject>((resolve, reject) => {
					let settled = false;
					let last: HassState | undefined;
					const finish = (outcome: () => void) => {
						if (settled) return;
						settled = true;
						clearTimeout(timer);
						signal?.removeEventListener('abort', onAbort);
						outcome();
					};
					const reached = (state: HassState, how: 'already' | 'changed') =>
						finish(() =>
							resolve({
								entity_id: entityId,
								state: state.state,
								reached: how,
								timedOut: false,
								waitedMs: Date.now() - started,
								new_state: state as unknown as IDataObject,
							}),
						);
					const timer =
						timeoutSeconds > 0
							? setTimeout(
									() =>
										finish(() => {
											if (onTimeout === 'continue') {
												resolve({
													entity_id: entityId,
													state: last?.state ?? null,
													timedOut: true,
													waitedMs: Date.now() - started,
												});
												return;
											}
											reject(
												new NodeOperationError(
													node,
													`${entityId} did not reach ${targets.join(' or ')} within ${timeoutSeconds} s (it is ${last?.state ?? 'unknown'})`,
													{
														itemIndex,
														description:
															'Raise the timeout, or set "On Timeout" to continue with timedOut: true',
													},
												),
											);
										}),
									timeoutSeconds * 1000,
								)
							: undefined;
					const onAbort = () =>
						finish(() => reject(new HomeAssistantError('cancelled', 'The wait was cancelled')));
					if (signal?.aborted) return onAbort();
					signal?.addEventListener('abort', onAbort, { once: true });
					// After a reconnect (Home Assistant restarted), the state may have been reached meanwhile.
					socket.on('connected', (info: ConnectedInfo) => {
						if (!info.reconnected || settled) return;
						socket
							.getStates<HassState[]>()
							.then((states) => {
								const current = states.find((state) => state.entity_id === entityId);
								if (current) last = current;
								if (current && targets.includes(current.state)) reached(current, 'changed');
							})
							.catch((error: unknown) =>
								// The wait goes on: a change after this arrives as an event.
								this.logger.warn(
									`Wait Until ${entityId}: could not re-read states after reconnecting: ${describeError(error)}`,
								),
							);
					});
					// Subscribe first, then read the current state: no change can slip between the two.
					socket
						.subscribe({ type: 'subscribe_events', event_type: 'state_changed' }, (event) => {
							const data = (event as HassEvent<StateChangedData>).data;
							if (data.entity_id !== entityId || !data.new_state) return;
							last = data.new_state;
							if (targets.includes(data.new_state.state)) reached(data.new_state, 'changed');
						})
						.then(async () => {
							const states = await socket.getStates<HassState[]>();
							const current = states.find((state) => state.entity_id === entityId);
							if (!current) {
								finish(() =>
									reject(
										new NodeOperationError(node, `Entity ${entityId} does not exist in Home Assistant`, {
											itemIndex,
										}),
									),
								);
								return;
							}
							last ??= current;
							if (checkCurrent && targets.includes(current.state)) reached(current, 'already');
						})
						.catch((error: unknown) => finish(() => reject(error as Error)));
				});
			},
			itemIndex,
		);
	} finally {
		await socket.close();
	}
}
