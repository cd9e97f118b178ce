import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';

import type { HassServices, HassState } from '../../../clients/homeassistant';
import { call, restClient, text, withSocket } from '../transport';

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
			name: `${text(state.attributes.friendly_name) || state.entity_id} (${state.entity_id})`,
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
