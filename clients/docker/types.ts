// The shapes DockerClient's methods take and give beyond dockerode's own types.

import type { JsonProgressMessage } from './streams';

export type Filters = Record<string, string[]>;

export interface ContainerSpec {
	name?: string;
	image: string;
	/** argv, never a shell string */
	cmd?: string[];
	entrypoint?: string[];
	env?: Record<string, string>;
	/** "8080:80", "127.0.0.1:53:53/udp", "9000" */
	ports?: string[];
	/** "volume:/data", "/host/path:/path:ro" */
	volumes?: string[];
	labels?: Record<string, string>;
	restartPolicy?: '' | 'no' | 'always' | 'unless-stopped' | 'on-failure';
	networkMode?: string;
	workingDir?: string;
	user?: string;
	tty?: boolean;
	/** merged last, for anything the fields above do not cover (engine API ContainerCreate body) */
	raw?: Record<string, unknown>;
}

export interface LogOptions {
	tail?: number;
	/** seconds since epoch, or an ISO date */
	since?: number | string;
	until?: number | string;
	timestamps?: boolean;
	stdout?: boolean;
	stderr?: boolean;
}

export interface LogResult {
	stdout: string;
	stderr: string;
	/** both streams, each line prefixed by nothing; in order for a TTY container, else stdout then stderr */
	lines: string[];
}

export interface ExecResult {
	exitCode: number | null;
	stdout: string;
	stderr: string;
}

export interface ProgressEvent {
	message: string;
	detail?: JsonProgressMessage;
}

export type ProgressHandler = (event: ProgressEvent) => void;
