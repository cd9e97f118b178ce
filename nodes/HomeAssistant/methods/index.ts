import type {
	FieldType,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	INodePropertyOptions,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';

import type { HassServiceField, HassServices, HassState } from '../../../clients/homeassistant';
import { asText } from '../../../shared/values';
import { call, restClient, withSocket } from '../transport';

// Dropdowns: entities from GET /api/states, actions (services) and their fields from the WebSocket `get_services`.

function matches(filter: string | undefined, ...texts: string[]): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return texts.some((text) => text.toLowerCase().includes(needle));
}

async function entities(ctx: ILoadOptionsFunctions, domain: string | undefined, filter?: string) {
	const rest = await restClient(ctx);
	const states = await call(ctx, async () => await rest.getStates());
	const results: INodeListSearchItems[] = states
		.filter((state: HassState) => !domain || state.entity_id.startsWith(`${domain}.`))
		.map((state) => ({
			name: `${asText(state.attributes.friendly_name) || state.entity_id} (${state.entity_id})`,
			value: state.entity_id,
		}))
		.filter((item) => matches(filter, item.name))
		.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}

async function services(ctx: ILoadOptionsFunctions): Promise<HassServices> {
	return await call(
		ctx,
		async () =>
			await withSocket(ctx, async (socket) => await socket.command<HassServices>({ type: 'get_services' })),
	);
}

function describeFields(fields: Record<string, { required?: boolean }>): string {
	const names = Object.entries(fields).map(([name, field]) => (field.required ? `${name}*` : name));
	return names.length ? `Fields: ${names.join(', ')}` : 'No fields';
}

export const listSearch = {
	async searchEntities(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		return await entities(this, undefined, filter);
	},
	async searchCalendars(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		return await entities(this, 'calendar', filter);
	},
	async searchCameras(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		return await entities(this, 'camera', filter);
	},
	/** Every action as "domain.service", with its fields (required ones starred) in the description. */
	async searchActions(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		const all = await services(this);
		const results: INodeListSearchItems[] = [];
		for (const [domain, list] of Object.entries(all)) {
			for (const [service, description] of Object.entries(list)) {
				const value = `${domain}.${service}`;
				const name = description.name ? `${value} — ${description.name}` : value;
				if (!matches(filter, value, description.name ?? '')) continue;
				results.push({ name, value, description: describeFields(description.fields ?? {}) });
			}
		}
		results.sort((a, b) => String(a.value).localeCompare(String(b.value)));
		return { results };
	},
	async searchNotifyServices(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		const all = await services(this);
		const results = Object.entries(all.notify ?? {})
			.filter(([service, description]) => matches(filter, service, description.name ?? ''))
			.map(([service, description]) => ({ name: description.name ?? service, value: service }));
		return { results };
	},
};

export const loadOptions = {
	/** Domains that have at least one entity, for "Get Many" filtering. */
	async getDomains(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const rest = await restClient(this);
		const states = await call(this, async () => await rest.getStates());
		const domains = [...new Set(states.map((state) => state.entity_id.split('.')[0]))].sort();
		return domains.map((domain) => ({ name: domain, value: domain }));
	},
};

/** The input widget for a service field, from its selector (https://www.home-assistant.io/docs/blueprint/selectors/). */
function fieldType(field: HassServiceField): { type: FieldType; options?: INodePropertyOptions[] } {
	const selector = field.selector ?? {};
	if ('number' in selector) return { type: 'number' };
	if ('boolean' in selector) return { type: 'boolean' };
	if ('object' in selector) return { type: 'object' };
	if ('datetime' in selector) return { type: 'dateTime' };
	const select = selector.select as
		| { options?: Array<string | { label?: string; value: string }> }
		| undefined;
	if (select?.options?.length) {
		return {
			type: 'options',
			options: select.options.map((option) =>
				typeof option === 'string'
					? { name: option, value: option }
					: { name: option.label ?? option.value, value: option.value },
			),
		};
	}
	return { type: 'string' };
}

export const resourceMapping = {
	/** The fields of the chosen action (from get_services), so they show as inputs under "Fields". */
	async getActionFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
		const action = asText(this.getNodeParameter('action', undefined, { extractValue: true }));
		const [domain, service] = action.split('.');
		if (!domain || !service) return { fields: [], emptyFieldsNotice: 'Pick an action first' };
		const description = (await services(this))[domain]?.[service];
		if (!description) return { fields: [], emptyFieldsNotice: `Home Assistant has no action ${action}` };
		const fields: ResourceMapperField[] = Object.entries(description.fields ?? {}).map(([id, field]) => ({
			id,
			displayName: field.name ? `${field.name} (${id})` : id,
			required: field.required === true,
			defaultMatch: false,
			canBeUsedToMatch: false,
			display: true,
			...fieldType(field),
		}));
		return { fields, emptyFieldsNotice: `${action} has no fields` };
	},
};
