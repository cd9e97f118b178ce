import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { DownloadTaskActionResult, ListOptions, SynologyClient } from '../../../clients/synology';
import type { ItemResult } from '../../shared/per-item';

// Parameter pieces and helpers more than one operation uses; operations import only from here, never from
// each other.

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

/** Files, folders or both: File Station's `filetype` (List 3.3 and Search 3.5). */
export const FILE_TYPE_OPTION: INodeProperties = {
	displayName: 'File Type',
	name: 'filetype',
	type: 'options',
	default: 'all',
	options: [
		{ name: 'All', value: 'all' },
		{ name: 'Files Only', value: 'file' },
		{ name: 'Folders Only', value: 'dir' },
	],
};

/** Sort and "additional" fields of File Station's List API (File Station guide 3.3). */
export function listOptions(show: Record<string, string[]>, folder: boolean): INodeProperties {
	return {
		displayName: 'Options',
		name: 'listOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Additional Fields',
				name: 'additional',
				type: 'multiOptions',
				default: [],
				description: 'Extra information DSM adds to each entry',
				options: [
					{ name: 'Owner', value: 'owner' },
					{ name: 'Permissions', value: 'perm' },
					{ name: 'Real Path', value: 'real_path' },
					{ name: 'Size', value: 'size' },
					{ name: 'Times', value: 'time' },
					...(folder
						? [{ name: 'Type', value: 'type' }]
						: [{ name: 'Volume Status', value: 'volume_status' }]),
				],
			},
			...(folder
				? ([
						FILE_TYPE_OPTION,
						{
							displayName: 'Name Pattern',
							name: 'pattern',
							type: 'string',
							default: '',
							placeholder: '*.mkv',
							description: 'Only entries whose name matches this glob pattern (comma-separated for several)',
						},
					] as INodeProperties[])
				: []),
			{
				displayName: 'Sort By',
				name: 'sortBy',
				type: 'options',
				default: 'name',
				options: [
					{ name: 'Modified Time', value: 'mtime' },
					{ name: 'Name', value: 'name' },
					{ name: 'Owner', value: 'user' },
					{ name: 'Size', value: 'size' },
					{ name: 'Type', value: 'type' },
				],
			},
			{
				displayName: 'Sort Direction',
				name: 'sortDirection',
				type: 'options',
				default: 'asc',
				options: [
					{ name: 'Ascending', value: 'asc' },
					{ name: 'Descending', value: 'desc' },
				],
			},
		],
	};
}

export function readListOptions(
	ctx: IExecuteFunctions,
	itemIndex: number,
): ListOptions & { pattern?: string; filetype?: 'file' | 'dir' | 'all' } {
	const raw = ctx.getNodeParameter('listOptions', itemIndex, {}) as {
		additional?: string[];
		sortBy?: string;
		sortDirection?: 'asc' | 'desc';
		pattern?: string;
		filetype?: 'file' | 'dir' | 'all';
	};
	return {
		additional: raw.additional,
		sortBy: raw.sortBy,
		sortDirection: raw.sortDirection,
		pattern: raw.pattern,
		filetype: raw.filetype,
	};
}

/** The Hyper Backup task picker of the status and start operations. */
export function backupTaskField(operation: string): INodeProperties {
	return {
		displayName: 'Backup Task Name or ID',
		name: 'backupTaskId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getBackupTasks' },
		default: '',
		required: true,
		description:
			'The Hyper Backup task. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { resource: ['hyperBackup'], operation: [operation] } },
	};
}

/**
 * Pause, resume and delete of one Download Station task: the same task picker, the same per-id answer, the
 * same error; only the client call and the output flag differ.
 */
const DOWNLOAD_TASK_ACTIONS = {
	pause: { done: 'paused', run: async (dsm: SynologyClient, id: string) => await dsm.pauseDownloads([id]) },
	resume: {
		done: 'resumed',
		run: async (dsm: SynologyClient, id: string) => await dsm.resumeDownloads([id]),
	},
	delete: {
		done: 'deleted',
		run: async (dsm: SynologyClient, id: string) => await dsm.deleteDownloads([id]),
	},
} satisfies Record<
	string,
	{ done: string; run: (dsm: SynologyClient, id: string) => Promise<DownloadTaskActionResult[]> }
>;

export function downloadTaskAction(action: keyof typeof DOWNLOAD_TASK_ACTIONS): {
	description: INodeProperties[];
	execute: OperationExecute;
} {
	const { done, run } = DOWNLOAD_TASK_ACTIONS[action];
	return {
		description: [downloadTaskLocator({ resource: ['downloadStation'], operation: [action] })],
		async execute(this: IExecuteFunctions, itemIndex: number, dsm: SynologyClient): Promise<IDataObject> {
			const id = locatorValue(this, 'taskId', itemIndex);
			const [result] = await run(dsm, id);
			if (!result?.ok) {
				throw new NodeOperationError(
					this.getNode(),
					`Could not ${action} download task ${id}: ${result?.error ?? 'no answer'}`,
					{ itemIndex },
				);
			}
			return { id, [done]: true };
		},
	};
}
