import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SynologyClient } from '../../../../clients/synology';
import { progressReporter } from '../../transport';
import { pathField } from '../common';

const show = { resource: ['fileStation'], operation: ['delete'] };

export const description: INodeProperties[] = [
	pathField('path', 'Path', show, 'File or folder to delete (folders with their contents)'),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	dsm: SynologyClient,
): Promise<IDataObject> {
	const path = this.getNodeParameter('path', itemIndex) as string;
	const result = await dsm.delete([path], {
		recursive: true,
		onProgress: progressReporter(this, `delete ${path}`),
	});
	return { path, deleted: true, ...result };
}
