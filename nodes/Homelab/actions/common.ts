import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

type Show = Record<string, string[]>;

/** A name picked from what the server holds (listSearch) or typed, e.g. jellyfin.lab.example. */
export function nameLocator(
	name: string,
	displayName: string,
	searchListMethod: string,
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
			{ displayName: 'By Name', name: 'name', type: 'string', placeholder: 'e.g. jellyfin.lab.example' },
		],
	};
}

/** A required text parameter of the item, trimmed; empty is an error naming the field and what to enter. */
export function requiredText(ctx: IExecuteFunctions, name: string, itemIndex: number, hint: string): string {
	const raw = ctx.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	const value = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : '';
	if (!value) {
		throw new NodeOperationError(ctx.getNode(), `The parameter "${name}" is empty`, {
			itemIndex,
			description: hint,
		});
	}
	return value;
}
