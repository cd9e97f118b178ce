import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export type Show = { resource: string[]; operation: string[] };

export const show = (resource: string, ...operation: string[]): Show => ({ resource: [resource], operation });

/** A resource locator: pick from a searchable list, or type an ID/name. */
function locator(
	name: string,
	displayName: string,
	searchListMethod: string,
	placeholder: string,
	showFor: Show,
	description: string,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		displayOptions: { show: showFor },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod, searchable: true },
			},
			{ displayName: 'By Name or ID', name: 'id', type: 'string', placeholder },
		],
	};
}

export const containerLocator = (showFor: Show): INodeProperties =>
	locator(
		'containerId',
		'Container',
		'searchContainers',
		'e.g. jellyfin or 3f2a9c1b7e4d',
		showFor,
		'The container, by name or ID',
	);
export const imageLocator = (showFor: Show): INodeProperties =>
	locator(
		'imageId',
		'Image',
		'searchImages',
		'e.g. nginx:1.27 or sha256:…',
		showFor,
		'The image, by reference or ID',
	);
export const networkLocator = (showFor: Show): INodeProperties =>
	locator(
		'networkId',
		'Network',
		'searchNetworks',
		'e.g. stack-media_default',
		showFor,
		'The network, by name or ID',
	);
export const volumeLocator = (showFor: Show): INodeProperties =>
	locator('volumeName', 'Volume', 'searchVolumes', 'e.g. stack-media_data', showFor, 'The volume, by name');
export const stackLocator = (showFor: Show): INodeProperties =>
	locator(
		'stackName',
		'Stack',
		'searchStacks',
		'e.g. stack-media',
		showFor,
		'The compose project (containers labelled com.docker.compose.project)',
	);

export function locatorValue(ctx: IExecuteFunctions, name: string, itemIndex: number, what: string): string {
	const raw = ctx.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	const value = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	if (!value)
		throw new NodeOperationError(ctx.getNode(), `No ${what} given`, {
			itemIndex,
			description: `Pick the ${what} from the list or enter its name or ID`,
		});
	return value;
}

export const keyValueCollection = (
	name: string,
	displayName: string,
	showFor: Show,
	description: string,
): INodeProperties => ({
	displayName,
	name,
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: `Add ${displayName.replace(/s$/, '')}`,
	default: {},
	description,
	displayOptions: { show: showFor },
	options: [
		{
			displayName: 'Entry',
			name: 'entries',
			values: [
				{ displayName: 'Name', name: 'name', type: 'string', default: '' },
				{ displayName: 'Value', name: 'value', type: 'string', default: '' },
			],
		},
	],
});

/** A fixedCollection of name/value pairs as a plain object. */
export function keyValues(ctx: IExecuteFunctions, name: string, itemIndex: number): Record<string, string> {
	const raw = ctx.getNodeParameter(name, itemIndex, {}) as {
		entries?: Array<{ name: string; value: string }>;
	};
	const result: Record<string, string> = {};
	for (const entry of raw.entries ?? [])
		if (entry.name?.trim()) result[entry.name.trim()] = String(entry.value ?? '');
	return result;
}

/** "a, b" or one per line -> ['a', 'b']; an array stays an array. */
export function stringList(value: unknown): string[] {
	if (Array.isArray(value))
		return value
			.map(String)
			.map((entry) => entry.trim())
			.filter(Boolean);
	if (typeof value !== 'string') return [];
	return value
		.split(/[\n,]/)
		.map((entry) => entry.trim())
		.filter(Boolean);
}

/**
 * A command as argv. Accepts an array (from an expression) or a JSON array string; a plain string is refused,
 * because it would need a shell to split it and no shell is ever run.
 */
export function argv(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	required: boolean,
): string[] | undefined {
	const value = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	const refuse = (why: string): never => {
		throw new NodeOperationError(ctx.getNode(), `The command ${why}`, {
			itemIndex,
			description:
				'Give the command as a JSON array of arguments, e.g. ["ls", "-la", "/data"]. It runs without a shell; for shell syntax use ["sh", "-c", "your | pipeline"]',
		});
	};
	let list: unknown = value;
	if (typeof value === 'string') {
		if (!value.trim()) {
			if (required) refuse('is empty');
			return undefined;
		}
		try {
			list = JSON.parse(value);
		} catch {
			refuse(`"${value}" is not a JSON array`);
		}
	}
	if (!Array.isArray(list) || list.some((entry) => typeof entry !== 'string' && typeof entry !== 'number'))
		refuse('must be an array of strings');
	const args = (list as Array<string | number>).map(String);
	if (!args.length) {
		if (required) refuse('is empty');
		return undefined;
	}
	return args;
}

/** Label filters as the engine wants them: ["key", "key=value"]. */
export function labelFilter(text: string): string[] {
	return stringList(text);
}

export function filtersOf(entries: Record<string, string[] | undefined>): Record<string, string[]> {
	const result: Record<string, string[]> = {};
	for (const [key, value] of Object.entries(entries)) if (value?.length) result[key] = value;
	return result;
}

export const returnAllFields = (showFor: Show): INodeProperties[] => [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: true,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...showFor, returnAll: [false] } },
	},
];

export function limited<T>(ctx: IExecuteFunctions, itemIndex: number, list: T[]): T[] {
	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, true);
	if (returnAll) return list;
	return list.slice(0, ctx.getNodeParameter('limit', itemIndex, 50));
}

export const asData = (value: unknown): IDataObject => value as IDataObject;
