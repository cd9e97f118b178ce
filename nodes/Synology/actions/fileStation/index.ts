import type { INodeProperties } from 'n8n-workflow';

import * as copyMove from './copyMove.operation';
import * as createFolder from './createFolder.operation';
import * as createShareLink from './createShareLink.operation';
import * as deleteOp from './delete.operation';
import * as download from './download.operation';
import * as getInfo from './getInfo.operation';
import * as listFolder from './listFolder.operation';
import * as listShares from './listShares.operation';
import * as rename from './rename.operation';
import * as search from './search.operation';
import * as upload from './upload.operation';

export {
	copyMove,
	createFolder,
	createShareLink,
	deleteOp,
	download,
	getInfo,
	listFolder,
	listShares,
	rename,
	search,
	upload,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['fileStation'] } },
		options: [
			{
				name: 'Copy or Move',
				value: 'copyMove',
				description: 'Copy or move a file or folder and wait until it is done',
				action: 'Copy or move a file or folder',
			},
			{
				name: 'Create Folder',
				value: 'createFolder',
				description: 'Create a folder',
				action: 'Create a folder',
			},
			{
				name: 'Create Share Link',
				value: 'createShareLink',
				description: 'Create a sharing link for a file or folder',
				action: 'Create a share link',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a file or folder and wait until it is done',
				action: 'Delete a file or folder',
			},
			{
				name: 'Download',
				value: 'download',
				description: 'Download a file into binary data',
				action: 'Download a file',
			},
			{
				name: 'Get Info',
				value: 'getInfo',
				description: 'Get size, owner, times and permissions of a file or folder',
				action: 'Get info about a file or folder',
			},
			{
				name: 'List Folder',
				value: 'listFolder',
				description: 'List the entries of a folder',
				action: 'List a folder',
			},
			{
				name: 'List Shares',
				value: 'listShares',
				description: 'List the shared folders',
				action: 'List shared folders',
			},
			{
				name: 'Rename',
				value: 'rename',
				description: 'Rename a file or folder',
				action: 'Rename a file or folder',
			},
			{
				name: 'Search',
				value: 'search',
				description: 'Search a folder for names and wait for the results',
				action: 'Search for files',
			},
			{
				name: 'Upload',
				value: 'upload',
				description: 'Upload binary data as a file',
				action: 'Upload a file',
			},
		],
		default: 'listFolder',
	},
	...listShares.description,
	...listFolder.description,
	...getInfo.description,
	...createFolder.description,
	...rename.description,
	...copyMove.description,
	...deleteOp.description,
	...upload.description,
	...download.description,
	...search.description,
	...createShareLink.description,
];
