import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	ILoadOptionsFunctions,
	INodeCredentialTestResult,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { DockerClient, StackManager } from '../../../clients/docker';
import { connectionOptions, dockerClient } from '../transport';

function matches(filter: string | undefined, ...texts: string[]): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return texts.some((text) => text.toLowerCase().includes(needle));
}

function sorted(results: INodeListSearchItems[]): INodeListSearchResult {
	return { results: results.sort((a, b) => a.name.localeCompare(b.name)) };
}

export const listSearch = {
	async searchContainers(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		const list = await (await dockerClient(this)).listContainers({ all: true });
		return sorted(
			list
				.map((info) => ({ name: (info.Names?.[0] ?? info.Id).replace(/^\//, ''), info }))
				.filter(({ name, info }) => matches(filter, name, info.Image, info.Id))
				.map(({ name, info }) => ({ name: `${name} (${info.State}, ${info.Image})`, value: name })),
		);
	},

	async searchImages(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		const list = await (await dockerClient(this)).listImages();
		const results: INodeListSearchItems[] = [];
		for (const image of list) {
			const tags = (image.RepoTags ?? []).filter((tag) => tag !== '<none>:<none>');
			if (!tags.length) {
				if (matches(filter, image.Id))
					results.push({ name: `<untagged> ${image.Id.slice(7, 19)}`, value: image.Id });
				continue;
			}
			for (const tag of tags) if (matches(filter, tag, image.Id)) results.push({ name: tag, value: tag });
		}
		return sorted(results);
	},

	async searchNetworks(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		const list = await (await dockerClient(this)).listNetworks();
		return sorted(
			list
				.filter((network) => matches(filter, network.Name, network.Id))
				.map((network) => ({ name: `${network.Name} (${network.Driver})`, value: network.Name })),
		);
	},

	async searchVolumes(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		const list = await (await dockerClient(this)).listVolumes();
		return sorted(
			list
				.filter((volume) => matches(filter, volume.Name))
				.map((volume) => ({ name: volume.Name, value: volume.Name })),
		);
	},

	async searchStacks(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		const stacks = await new StackManager(await dockerClient(this)).list();
		return sorted(
			stacks
				.filter((stack) => matches(filter, stack.name))
				.map((stack) => ({ name: `${stack.name} (${stack.status})`, value: stack.name })),
		);
	},
};

export const credentialTest = {
	/** Ping + version over the credential's own transport (n8n's declarative test cannot use a unix socket). */
	async dockerHostApiTest(
		this: ICredentialTestFunctions,
		credential: ICredentialsDecrypted,
	): Promise<INodeCredentialTestResult> {
		const client = new DockerClient({ ...connectionOptions(credential.data ?? {}), timeoutMs: 10000 });
		try {
			const ping = await client.ping();
			return {
				status: 'OK',
				message: `Connected to Docker ${ping.version} (API ${ping.apiVersion}, ${ping.os}/${ping.arch}) at ${client.target}${client.readOnly ? ', read-only' : ''}`,
			};
		} catch (error) {
			const hint = (error as { hint?: string }).hint;
			return { status: 'Error', message: `${(error as Error).message}${hint ? `. ${hint}` : ''}` };
		}
	},
};
