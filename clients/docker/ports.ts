// The short port syntax of `docker run -p` and compose `ports:`, turned into the engine's ExposedPorts and
// PortBindings.

import { DockerError } from './errors';

/** Parses the short port syntax ("[ip:]host:container[/proto]", "container[/proto]"). */
export function parsePort(spec: string): { container: string; hostIp?: string; hostPort?: string } {
	const match = /^(?:(?:(\[[^\]]+\]|[\d.]+):)?(\d*(?:-\d+)?):)?(\d+(?:-\d+)?)(?:\/(tcp|udp|sctp))?$/.exec(
		spec.trim(),
	);
	if (!match)
		throw new DockerError(
			`"${spec}" is not a port mapping`,
			'Write ports as 8080:80, 127.0.0.1:8080:80 or 53:53/udp',
		);
	const [, hostIp, hostPort, containerPort, protocol] = match;
	return {
		container: `${containerPort}/${protocol ?? 'tcp'}`,
		hostIp: hostIp?.replace(/^\[|\]$/g, ''),
		hostPort: hostPort || undefined,
	};
}

export function portConfig(specs: string[]): {
	ExposedPorts: Record<string, object>;
	PortBindings: Record<string, Array<{ HostIp?: string; HostPort?: string }>>;
} {
	const ExposedPorts: Record<string, object> = {};
	const PortBindings: Record<string, Array<{ HostIp?: string; HostPort?: string }>> = {};
	for (const spec of specs) {
		const port = parsePort(spec);
		ExposedPorts[port.container] = {};
		if (port.hostPort !== undefined || port.hostIp !== undefined) {
			(PortBindings[port.container] ??= []).push({
				...(port.hostIp ? { HostIp: port.hostIp } : {}),
				HostPort: port.hostPort ?? '',
			});
		}
	}
	return { ExposedPorts, PortBindings };
}
