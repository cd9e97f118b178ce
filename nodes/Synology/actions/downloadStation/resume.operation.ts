import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { SynologyClient } from '../../../../clients/synology';
import { downloadTaskLocator, locatorValue } from '../common';

const show = { resource: ['downloadStation'], operation: ['resume'] };

export const description: INodeProperties[] = [downloadTaskLocator(show)];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	dsm: SynologyClient,
): Promise<IDataObject> {
	const id = locatorValue(this, 'taskId', itemIndex);
	const [result] = await dsm.resumeDownloads([id]);
	if (!result?.ok) {
		throw new NodeOperationError(
			this.getNode(),
			`Could not resume download task ${id}: ${result?.error ?? 'no answer'}`,
			{
				itemIndex,
			},
		);
	}
	return { id, resumed: true };
}
