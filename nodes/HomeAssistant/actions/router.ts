import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runPerItem, type ItemResult } from '../../shared/per-item';
import { findOperation } from '../../shared/router';
import * as action from './action';
import * as calendar from './calendar';
import * as camera from './camera';
import * as config from './config';
import * as event from './event';
import * as history from './history';
import * as logbook from './logbook';
import * as notify from './notify';
import * as state from './state';
import * as template from './template';

type OperationExecute = (this: IExecuteFunctions, itemIndex: number) => Promise<ItemResult>;

const operations: Record<string, Record<string, OperationExecute>> = {
	state: {
		get: state.get.execute,
		getAll: state.getAll.execute,
		set: state.set.execute,
		waitUntil: state.waitUntil.execute,
	},
	action: { call: action.call.execute },
	event: { fire: event.fire.execute },
	template: { render: template.render.execute },
	history: { get: history.get.execute },
	logbook: { get: logbook.get.execute },
	calendar: { listEvents: calendar.listEvents.execute, createEvent: calendar.createEvent.execute },
	camera: { snapshot: camera.snapshot.execute },
	config: { get: config.get.execute, check: config.check.execute },
	notify: { send: notify.send.execute },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runPerItem(this, async (itemIndex) => {
		const execute = findOperation(this, operations, itemIndex);
		return await execute.call(this, itemIndex);
	});
}
