import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SynologyClient } from '../../../../clients/synology';
import { backupTaskField } from '../common';

export const description: INodeProperties[] = [backupTaskField('start')];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	dsm: SynologyClient,
): Promise<IDataObject> {
	const taskId = this.getNodeParameter('backupTaskId', itemIndex) as string | number;
	await dsm.startBackup(taskId);
	return { taskId: Number(taskId), started: true };
}
