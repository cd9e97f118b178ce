import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SynologyClient } from '../../../../clients/synology';

export const description: INodeProperties[] = [];

export async function execute(
	this: IExecuteFunctions,
	_itemIndex: number,
	dsm: SynologyClient,
): Promise<IDataObject[]> {
	return (await dsm.backupTasks()) as IDataObject[];
}
