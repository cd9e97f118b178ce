import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SynologyClient } from '../../../clients/synology';
import type { ItemResult } from '../../shared/per-item';

export type OperationExecute = (
	this: IExecuteFunctions,
	itemIndex: number,
	dsm: SynologyClient,
) => Promise<ItemResult>;

type Show = Record<string, string[]>;

/** A folder picked from a searchable list (browse by typing a path) or typed as a path. */
export function folderLocator(
	name: string,
	displayName: string,
	show: Show,
	description?: string,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		displayOptions: { show },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Type a path to browse, e.g. /media/',
				typeOptions: { searchListMethod: 'searchFolders', searchable: true },
			},
			{
				displayName: 'Path',
				name: 'path',
				type: 'string',
				placeholder: '/media/movies',
				validation: [
					{
						type: 'regex',
						properties: { regex: '^/.+', errorMessage: 'Start with / and the shared folder, e.g. /media' },
					},
				],
			},
		],
	};
}

export function shareLocator(name: string, show: Show): INodeProperties {
	return {
		displayName: 'Shared Folder',
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		displayOptions: { show },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchShares', searchable: true },
			},
			{ displayName: 'Name', name: 'name', type: 'string', placeholder: 'docker' },
		],
	};
}

export function downloadTaskLocator(show: Show): INodeProperties {
	return {
		displayName: 'Task',
		name: 'taskId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		displayOptions: { show },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchDownloadTasks', searchable: true },
			},
			{ displayName: 'ID', name: 'id', type: 'string', placeholder: 'dbid_123' },
		],
	};
}

export function pathField(
	name: string,
	displayName: string,
	show: Show,
	description: string,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		default: '',
		required: true,
		placeholder: '/docker/compose.yml',
		description,
		displayOptions: { show },
	};
}

export function locatorValue(ctx: IExecuteFunctions, name: string, itemIndex: number): string {
	const value = ctx.getNodeParameter(name, itemIndex, '', { extractValue: true });
	return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
}

export function returnAllFields(show: Show, max = 1000): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: max },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
		},
	];
}

/** Pages through a File Station listing until `want` entries (or all) are read. */
export async function collectPages<T>(
	want: number | undefined,
	fetchPage: (offset: number, limit: number) => Promise<{ total: number; entries: T[] }>,
): Promise<T[]> {
	const pageSize = 500;
	const out: T[] = [];
	for (;;) {
		const limit = want === undefined ? pageSize : Math.min(pageSize, want - out.length);
		const page = await fetchPage(out.length, limit);
		out.push(...page.entries);
		if (page.entries.length === 0 || out.length >= page.total || (want !== undefined && out.length >= want)) {
			return out;
		}
	}
}
