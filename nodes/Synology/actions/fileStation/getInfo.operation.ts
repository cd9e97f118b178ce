import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SynologyClient } from '../../../../clients/synology';
import { pathField } from '../common';

const show = { resource: ['fileStation'], operation: ['getInfo'] };

export const description: INodeProperties[] = [
	pathField('path', 'Path', show, 'File or folder to describe, starting with the shared folder'),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	dsm: SynologyClient,
): Promise<IDataObject> {
	const path = this.getNodeParameter('path', itemIndex) as string;
	const { files } = await dsm.getInfo([path], ['real_path', 'size', 'owner', 'time', 'perm', 'type']);
	return files[0] ?? {};
}
