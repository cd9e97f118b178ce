import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SynologyClient } from '../../../../clients/synology';
import { folderLocator, locatorValue } from '../common';

const show = { resource: ['fileStation'], operation: ['createFolder'] };

export const description: INodeProperties[] = [
	folderLocator('parent', 'Parent Folder', show, 'Where to create the new folder'),
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'stacks',
		description: 'Name of the new folder (a plain name, no slashes)',
		displayOptions: { show },
	},
	{
		displayName: 'Create Missing Parents',
		name: 'forceParent',
		type: 'boolean',
		default: true,
		description: 'Whether to create parent folders that do not exist yet',
		displayOptions: { show },
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	dsm: SynologyClient,
): Promise<IDataObject> {
	const parent = locatorValue(this, 'parent', itemIndex);
	const name = this.getNodeParameter('name', itemIndex) as string;
	const forceParent = this.getNodeParameter('forceParent', itemIndex) as boolean;
	const { folders } = await dsm.createFolder(parent, name, forceParent);
	return folders[0] ?? {};
}
