import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { ollamaClient, toNodeError } from '../transport';

/** The model dropdown: models pulled on the server, filtered by what the user types. */
export async function searchModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const client = await ollamaClient.call(this);
	let names: Array<{ name: string; size: number; parameterSize?: string }>;
	try {
		names = (await client.list()).models.map((model) => ({
			name: model.name,
			size: model.size,
			parameterSize: model.details?.parameter_size,
		}));
	} catch (error) {
		throw toNodeError(this.getNode(), error, undefined, client.baseUrl);
	}
	const needle = (filter ?? '').trim().toLowerCase();
	return {
		results: names
			.filter((model) => !needle || model.name.toLowerCase().includes(needle))
			.sort((a, b) => a.name.localeCompare(b.name))
			.map((model) => ({
				name: model.parameterSize ? `${model.name} (${model.parameterSize})` : model.name,
				value: model.name,
			})),
	};
}
