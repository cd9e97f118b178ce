import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as action from './actions/action';
import * as calendar from './actions/calendar';
import * as camera from './actions/camera';
import * as config from './actions/config';
import * as event from './actions/event';
import * as history from './actions/history';
import * as logbook from './actions/logbook';
import * as notify from './actions/notify';
import { router } from './actions/router';
import * as state from './actions/state';
import * as template from './actions/template';
import { listSearch, loadOptions, resourceMapping } from './methods';
import { credentialTest } from './methods/credentialTest';

export class HomeAssistant implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Home Assistant (Homelab)',
		name: 'homeAssistant',
		icon: { light: 'file:homeassistant.svg', dark: 'file:homeassistant.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Read and set states, call actions, fire events, render templates, wait for states, read history, calendars and cameras in Home Assistant',
		defaults: { name: 'Home Assistant' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'homelabHomeAssistantApi', required: true, testedBy: 'homeAssistantApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Action', value: 'action' },
					{ name: 'Calendar', value: 'calendar' },
					{ name: 'Camera', value: 'camera' },
					{ name: 'Config', value: 'config' },
					{ name: 'Event', value: 'event' },
					{ name: 'History', value: 'history' },
					{ name: 'Logbook', value: 'logbook' },
					{ name: 'Notification', value: 'notify' },
					{ name: 'State', value: 'state' },
					{ name: 'Template', value: 'template' },
				],
				default: 'state',
			},
			...action.description,
			...calendar.description,
			...camera.description,
			...config.description,
			...event.description,
			...history.description,
			...logbook.description,
			...notify.description,
			...state.description,
			...template.description,
		],
	};

	methods = { listSearch, loadOptions, credentialTest, resourceMapping };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
