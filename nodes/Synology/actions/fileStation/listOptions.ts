import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ListOptions } from '../../../../clients/synology';

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
						{
							displayName: 'File Type',
							name: 'filetype',
							type: 'options',
							default: 'all',
							options: [
								{ name: 'All', value: 'all' },
								{ name: 'Files Only', value: 'file' },
								{ name: 'Folders Only', value: 'dir' },
							],
						},
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
