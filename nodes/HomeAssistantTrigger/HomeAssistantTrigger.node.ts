import type { INodeType, INodeTypeDescription, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { listSearch, loadOptions } from '../HomeAssistant/methods';
import { credentialTest } from '../HomeAssistant/methods/credentialTest';
import { startTrigger } from './trigger';

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
		return await startTrigger.call(this);
	}
}
