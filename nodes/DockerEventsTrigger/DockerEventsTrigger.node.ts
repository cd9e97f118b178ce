import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import {
	enginePositionNow,
	LABELS,
	subscribeEvents,
	type EventPosition,
	type Filters,
} from '../../clients/docker';
import { credentialTest } from '../Docker/methods';
import { dockerClient, toNodeError } from '../Docker/transport';

const ACTIONS: Record<string, string[]> = {
	container: [
		'attach',
		'create',
		'destroy',
		'die',
		'exec_create',
		'exec_die',
		'exec_start',
		'health_status',
		'kill',
		'oom',
		'pause',
		'rename',
		'restart',
		'start',
		'stop',
		'unpause',
		'update',
	],
	image: ['delete', 'import', 'load', 'pull', 'push', 'save', 'tag', 'untag'],
	network: ['connect', 'create', 'destroy', 'disconnect', 'remove'],
	volume: ['create', 'destroy', 'mount', 'unmount'],
};

const titleCase = (value: string) =>
	value
		.split('_')
		.map((part) => part[0].toUpperCase() + part.slice(1))
		.join(' ');

function splitList(text: string | undefined): string[] {
	return (text ?? '')
		.split(/[\n,]/)
		.map((entry) => entry.trim())
		.filter(Boolean);
}

/** The position saved by an earlier activation, if it has the expected shape. */
function savedPosition(value: unknown): EventPosition | undefined {
	const position = value as Partial<EventPosition> | undefined;
	if (!position || typeof position.timeNano !== 'string' || !/^\d+$/.test(position.timeNano))
		return undefined;
	const seen = Array.isArray(position.seenAtTime)
		? position.seenAtTime.filter((key) => typeof key === 'string')
		: [];
	return { timeNano: position.timeNano, seenAtTime: seen };
}

export class DockerEventsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Docker Events Trigger',
		name: 'dockerEventsTrigger',
		icon: { light: 'file:dockerEvents.svg', dark: 'file:dockerEvents.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["types"].join(", ")}}',
		description:
			'Starts the workflow when the Docker engine reports an event (container started, died, image pulled …)',
		defaults: { name: 'Docker Events Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dockerHostApi', required: true, testedBy: 'dockerHostApiTest' }],
		properties: [
			{
				displayName: 'Event Types',
				name: 'types',
				type: 'multiOptions',
				default: ['container'],
				required: true,
				options: [
					{ name: 'Container', value: 'container' },
					{ name: 'Image', value: 'image' },
					{ name: 'Network', value: 'network' },
					{ name: 'Volume', value: 'volume' },
				],
			},
			{
				displayName: 'Actions',
				name: 'actions',
				type: 'multiOptions',
				default: [],
				description: 'Only these actions; none selected means every action of the chosen types',
				options: [...new Set(Object.values(ACTIONS).flat())]
					.sort()
					.map((action) => ({ name: titleCase(action), value: action })),
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Container Names',
						name: 'containers',
						type: 'string',
						default: '',
						placeholder: 'e.g. jellyfin, sonarr',
						description: 'Only events of these containers (names or IDs, separated by commas)',
					},
					{
						displayName: 'Labels',
						name: 'labels',
						type: 'string',
						default: '',
						placeholder: 'e.g. homelab.watch=true',
						description:
							'Only objects with these labels, key or key=value, separated by commas (all must match)',
					},
					{
						displayName: 'Stack',
						name: 'stack',
						type: 'string',
						default: '',
						placeholder: 'e.g. stack-media',
						description: 'Only events of this compose project',
					},
				],
			},
		],
	};

	// the credential's test lives with the nodes that use it (see credentials/DockerHostApi.credentials.ts)
	methods = { credentialTest };

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const types = this.getNodeParameter('types', []) as string[];
		const actions = this.getNodeParameter('actions', []) as string[];
		const options = this.getNodeParameter('options', {}) as {
			containers?: string;
			labels?: string;
			stack?: string;
		};
		if (!types.length)
			throw new NodeOperationError(this.getNode(), 'No event type selected', {
				description: 'Pick at least one of Container, Image, Network, Volume',
			});
		const labels = splitList(options.labels);
		if (options.stack?.trim()) labels.push(`${LABELS.project}=${options.stack.trim()}`);
		const filters: Filters = { type: types };
		// health_status events carry the status in the action ("health_status: healthy"): the engine's filter
		// matches the prefix only when asked for the bare name, so filter those here.
		const engineActions = actions.filter((action) => action !== 'health_status');
		if (actions.length && !actions.includes('health_status')) filters.event = engineActions;
		if (labels.length) filters.label = labels;
		const containers = splitList(options.containers);
		if (containers.length) filters.container = containers;

		const client = await dockerClient(this);
		// The position is kept in the workflow's static data and resumed with the engine's `since`, so events while
		// n8n restarts or the workflow is inactive are emitted afterwards. n8n writes static data when a trigger
		// emits (not later), so the position including an event is stored before that event is emitted. Manual
		// test runs keep it in memory and start from now, so they never move the active workflow's position.
		const manual = this.getMode() === 'manual';
		const staticData = this.getWorkflowStaticData('node');
		const emitEvent = (event: IDataObject) => this.emit([this.helpers.returnJsonArray([event])]);
		let subscription;
		try {
			let saved = manual ? undefined : savedPosition(staticData.position);
			if (!manual && !saved) {
				// first activation: n8n saves static data when activation completes, so "now" is kept from here on
				saved = await enginePositionNow(client);
				staticData.position = { ...saved };
			}
			subscription = await subscribeEvents(client, {
				filters,
				resumeFrom: saved,
				onEvent: (event, position) => {
					if (!manual) staticData.position = { ...position };
					const base = event.action.split(':')[0];
					if (actions.length && !actions.includes(base) && !actions.includes(event.action)) return;
					emitEvent(event as unknown as IDataObject);
				},
				onDisconnect: (error, retryInMs) =>
					this.logger.warn(
						`Docker Events Trigger: event stream from ${client.target} dropped${error ? ` (${error.message})` : ''}; reconnecting in ${retryInMs} ms`,
					),
				onReconnect: () => this.logger.info(`Docker Events Trigger: reconnected to ${client.target}`),
			});
		} catch (error) {
			throw toNodeError(this.getNode(), error);
		}
		const active = subscription;
		return {
			closeFunction: async () => active.close(),
		};
	}
}
