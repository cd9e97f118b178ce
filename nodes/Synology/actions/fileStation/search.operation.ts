import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SynologyClient } from '../../../../clients/synology';
import { progressReporter } from '../../transport';
import { FILE_TYPE_OPTION, folderLocator, locatorValue, returnAllFields } from '../common';

const show = { resource: ['fileStation'], operation: ['search'] };

export const description: INodeProperties[] = [
	folderLocator('folder', 'Folder', show, 'Folder to search in'),
	{
		displayName: 'Name Pattern',
		name: 'pattern',
		type: 'string',
		default: '',
		placeholder: '*.mkv',
		description: 'Glob pattern for names; empty matches everything',
		displayOptions: { show },
	},
	...returnAllFields(show, 10000),
	{
		displayName: 'Options',
		name: 'searchOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Extension',
				name: 'extension',
				type: 'string',
				default: '',
				placeholder: 'mkv,mp4',
				description: 'Only files with these extensions',
			},
			FILE_TYPE_OPTION,
			{
				displayName: 'Recursive',
				name: 'recursive',
				type: 'boolean',
				default: true,
				description: 'Whether to search subfolders too',
			},
		],
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	dsm: SynologyClient,
): Promise<IDataObject[]> {
	const folder = locatorValue(this, 'folder', itemIndex);
	const pattern = this.getNodeParameter('pattern', itemIndex) as string;
	const returnAll = this.getNodeParameter('returnAll', itemIndex);
	const limit = returnAll ? undefined : this.getNodeParameter('limit', itemIndex);
	const options = this.getNodeParameter('searchOptions', itemIndex, {}) as {
		extension?: string;
		filetype?: 'file' | 'dir' | 'all';
		recursive?: boolean;
	};
	const result = await dsm.search(
		folder,
		{ pattern, extension: options.extension, filetype: options.filetype, recursive: options.recursive },
		{ limit, onProgress: progressReporter(this, `search in ${folder}`) },
	);
	return limit === undefined ? result.files : result.files.slice(0, limit);
}
