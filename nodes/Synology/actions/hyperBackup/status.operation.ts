import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SynologyClient } from '../../../../clients/synology';
import { backupTaskField } from '../common';

export const description: INodeProperties[] = [backupTaskField('status')];

/** SYNO.Backup.Task status: whether it runs now and how the last backup ended. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	dsm: SynologyClient,
): Promise<IDataObject> {
	const taskId = this.getNodeParameter('backupTaskId', itemIndex) as string | number;
	const status = await dsm.backupStatus(taskId);
	return {
		taskId: Number(taskId),
		running: status.status === 'backup',
		state: status.state ?? null,
		status: status.status ?? null,
		lastResult: status.last_bkp_result ?? null,
		lastBackupTime: status.last_bkp_time || null,
		lastBackupEndTime: status.last_bkp_end_time || null,
		nextBackupTime: status.next_bkp_time || null,
		progress: (status.progress as IDataObject | undefined) ?? null,
		succeeded: status.last_bkp_result === 'done',
	};
}
