import type { INodeProperties } from 'n8n-workflow';

type ShowFor = Record<string, string[]>;

/** An entity picker: a searchable list, or an ID typed in (light.kitchen). */
export function entityLocator(
	showFor: ShowFor,
	options: {
		name?: string;
		displayName?: string;
		searchListMethod?: string;
		placeholder?: string;
		description?: string;
	} = {},
): INodeProperties {
	return {
		displayName: options.displayName ?? 'Entity',
		name: options.name ?? 'entityId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: options.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: options.searchListMethod ?? 'searchEntities', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: options.placeholder ?? 'light.kitchen',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^[a-z0-9_]+\\.[a-z0-9_]+$',
							errorMessage: 'An entity ID looks like light.kitchen',
						},
					},
				],
			},
		],
		displayOptions: { show: showFor },
	};
}
