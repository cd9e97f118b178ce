import type Docker from 'dockerode';
import type { Readable } from 'node:stream';

import { ContainerApis } from './containers';
import { dockerError } from './errors';
import { checkDockerId } from './ids';
import { followJsonStream } from './streams';
import type { Filters, ProgressHandler } from './types';

// Images: list, inspect, pull, build, remove, prune. One family of DockerClient (client.ts says why the
// families are stacked classes).

export class ImageApis extends ContainerApis {
	async listImages(options: { all?: boolean; filters?: Filters } = {}) {
		return await this.call(
			'List images',
			async () =>
				await this.docker.listImages({
					all: options.all ?? false,
					...(options.filters && Object.keys(options.filters).length
						? { filters: JSON.stringify(options.filters) }
						: {}),
				}),
		);
	}

	async inspectImage(name: string): Promise<Docker.ImageInspectInfo> {
		return await this.call(`Inspect image "${name}"`, async () => await this.imageHandle(name).inspect());
	}

	async imageExists(name: string): Promise<boolean> {
		try {
			await this.imageHandle(name).inspect();
			return true;
		} catch (error) {
			if ((error as { statusCode?: number }).statusCode === 404) return false;
			throw dockerError(error, `Inspect image "${name}"`, this.target);
		}
	}

	/** Pulls an image, reporting progress; resolves with the image's ID once it is present. */
	async pullImage(
		reference: string,
		options: {
			auth?: { username: string; password: string; serveraddress?: string };
			onProgress?: ProgressHandler;
			signal?: AbortSignal;
			platform?: string;
		} = {},
	): Promise<{ image: string; id: string; status: string }> {
		const ref = reference.includes(':') || reference.includes('@') ? reference : `${reference}:latest`;
		checkDockerId('image', ref);
		return await this.mutate(`Pull image "${ref}"`, async () => {
			const stream = (await this.docker.pull(ref, {
				...(options.auth ? { authconfig: options.auth } : {}),
				...(options.platform ? { platform: options.platform } : {}),
				...(options.signal ? { abortSignal: options.signal } : {}),
			})) as Readable;
			let last = '';
			const messages = await followJsonStream(
				stream,
				(message) => {
					const text = [message.id, message.status, message.progress].filter(Boolean).join(' ');
					if (text && text !== last && options.onProgress)
						options.onProgress({ message: text, detail: message });
					last = text;
				},
				options.signal,
			);
			const status =
				messages
					.map((message) => message.status)
					.filter(Boolean)
					.pop() ?? '';
			const info = await this.imageHandle(ref).inspect();
			return { image: ref, id: info.Id, status };
		});
	}

	async removeImage(name: string, options: { force?: boolean; noprune?: boolean } = {}) {
		return await this.mutate(
			`Remove image "${name}"`,
			async () =>
				(await this.imageHandle(name).remove({
					force: options.force ?? false,
					noprune: options.noprune ?? false,
				})) as unknown as Array<Record<string, string>>,
		);
	}

	async pruneImages(options: { all?: boolean; filters?: Filters } = {}) {
		return await this.mutate(
			'Prune images',
			async () =>
				await this.docker.pruneImages({
					filters: JSON.stringify({ dangling: [options.all ? 'false' : 'true'], ...(options.filters ?? {}) }),
				} as Parameters<Docker['pruneImages']>[0]),
		);
	}

	/** Builds an image from a tar build context (a Dockerfile at its root). */
	async buildImage(
		context: Readable | Buffer,
		tag: string,
		options: { onProgress?: ProgressHandler; signal?: AbortSignal; labels?: Record<string, string> } = {},
	) {
		checkDockerId('image', tag);
		return await this.mutate(`Build image "${tag}"`, async () => {
			const stream = (await this.docker.buildImage(context as unknown as NodeJS.ReadableStream, {
				t: tag,
				rm: true,
				...(options.labels ? { labels: options.labels } : {}),
				...(options.signal ? { abortSignal: options.signal } : {}),
			})) as Readable;
			await followJsonStream(
				stream,
				(message) => {
					if (message.stream?.trim())
						options.onProgress?.({ message: message.stream.trim(), detail: message });
				},
				options.signal,
			);
			const info = await this.imageHandle(tag).inspect();
			return { image: tag, id: info.Id };
		});
	}
}
