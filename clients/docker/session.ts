import type Docker from 'dockerode';

import { createDockerode, describeTarget, type DockerConnectionOptions } from './connection';
import { dockerError, ReadOnlyError } from './errors';
import { dockerPathId } from './ids';

// The connection every family of DockerClient builds on (client.ts says why the families are stacked classes):
// the dockerode instance, error mapping, the read-only guard and checked handles.

export class DockerSession {
	readonly docker: Docker;
	readonly target: string;
	readonly readOnly: boolean;

	constructor(readonly options: DockerConnectionOptions) {
		this.docker = createDockerode(options);
		this.target = describeTarget(options);
		this.readOnly = options.readOnly === true;
	}

	/** Runs `fn`, turning its failure into a DockerError about `what`. */
	async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
		try {
			return await fn();
		} catch (error) {
			throw dockerError(error, what, this.target);
		}
	}

	/** Like `call`, but refused on a read-only connection. */
	async mutate<T>(what: string, fn: () => Promise<T>): Promise<T> {
		this.assertWritable(what);
		return await this.call(what, fn);
	}

	assertWritable(what: string): void {
		if (this.readOnly) throw new ReadOnlyError(what);
	}

	// dockerode handles whose name/ID is checked and percent-encoded first (ids.ts): dockerode itself puts the
	// string into the request path as is. An invalid one throws a DockerError before any request is made.
	containerHandle(id: string): Docker.Container {
		return this.docker.getContainer(dockerPathId('container', id));
	}

	imageHandle(name: string): Docker.Image {
		return this.docker.getImage(dockerPathId('image', name));
	}

	networkHandle(id: string): Docker.Network {
		return this.docker.getNetwork(dockerPathId('network', id));
	}

	volumeHandle(name: string): Docker.Volume {
		return this.docker.getVolume(dockerPathId('volume', name));
	}

	execHandle(id: string): Docker.Exec {
		return this.docker.getExec(dockerPathId('exec', id));
	}
}
