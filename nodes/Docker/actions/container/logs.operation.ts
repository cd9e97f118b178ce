import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dockerClient } from '../../transport';
import { containerLocator, locatorValue, show } from '../common';
import { logOptions, readLogOptions } from '../shared/logs';

const showFor = show('container', 'logs');

export const description: INodeProperties[] = [containerLocator(showFor), logOptions(showFor)];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = locatorValue(this, 'containerId', itemIndex, 'container');
	const logs = await (
		await dockerClient(this, itemIndex)
	).containerLogs(id, readLogOptions(this, itemIndex), this.getExecutionCancelSignal());
	return { container: id, ...logs };
}
