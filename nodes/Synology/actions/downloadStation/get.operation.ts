import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { summarizeDownloadTask, type SynologyClient } from '../../../../clients/synology';
import { downloadTaskLocator, locatorValue } from '../common';

const show = { resource: ['downloadStation'], operation: ['get'] };

export const description: INodeProperties[] = [downloadTaskLocator(show)];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	dsm: SynologyClient,
): Promise<IDataObject> {
	const [task] = await dsm.getDownloads([locatorValue(this, 'taskId', itemIndex)]);
	return summarizeDownloadTask(task);
}
