import { VolumeApis } from './volumes';

/**
 * The Docker client of this pack, shared by the Docker nodes and the backend: typed calls on top of dockerode,
 * every failure a DockerError that names what failed, and a read-only guard on every call that changes the host.
 *
 * One object with every API family, each in its own module extending the previous one (session.ts ← system.ts
 * ← containers.ts ← images.ts ← networks.ts ← volumes.ts), so callers keep a single flat client while no file
 * holds them all. A family uses only the session's plumbing and the families before it.
 */
export class DockerClient extends VolumeApis {}
