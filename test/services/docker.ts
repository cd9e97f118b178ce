import {
	existsSync,
	mkdirSync,
	readdirSync,
	symlinkSync,
	writeFileSync,
	copyFileSync,
	chmodSync,
} from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import { waitFor } from '../harness/net';
import { daemon, fileTail, killAndWait, readPid, removeDir, requireBinary, run, serviceDir } from './common';

export interface DockerService {
	/** unix socket of this private dockerd */
	socketPath: string;
	/** DOCKER_HOST value for the docker CLI or dockerode's env */
	dockerHost: string;
	/** a local image (static busybox) every test can run: nothing can be pulled here */
	busyboxImage: string;
	dir: string;
	stop(): Promise<void>;
}

/** GET/POST against the engine API over its unix socket (no client library: this proves the protocol). */
export async function dockerApi(
	socketPath: string,
	method: string,
	route: string,
	body?: unknown,
): Promise<{ status: number; body: string }> {
	return await new Promise((resolve, reject) => {
		const request = http.request(
			{ socketPath, method, path: route, headers: body ? { 'content-type': 'application/json' } : {} },
			(response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () =>
					resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
				);
			},
		);
		request.on('error', reject);
		request.end(body ? JSON.stringify(body) : undefined);
	});
}

/** A minimal root filesystem with Debian's static busybox, built once per machine and reused. */
function busyboxRootfs(): string {
	const rootfs = path.join(os.tmpdir(), 'homelab-busybox-rootfs');
	const busybox = path.join(rootfs, 'bin', 'busybox');
	if (existsSync(busybox)) return rootfs;
	const source = ['/bin/busybox', '/usr/bin/busybox'].find((candidate) => existsSync(candidate));
	if (!source)
		throw new Error('busybox is not installed: run scripts/install-system-deps.sh (busybox-static)');
	for (const dir of ['bin', 'etc', 'tmp', 'proc', 'sys', 'dev'])
		mkdirSync(path.join(rootfs, dir), { recursive: true });
	copyFileSync(source, busybox);
	chmodSync(busybox, 0o755);
	for (const applet of run(busybox, ['--list']).split('\n').filter(Boolean)) {
		const link = path.join(rootfs, 'bin', applet);
		if (applet !== 'busybox' && !existsSync(link)) symlinkSync('busybox', link);
	}
	writeFileSync(path.join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
	writeFileSync(path.join(rootfs, 'etc', 'group'), 'root:x:0:\n');
	return rootfs;
}

/**
 * A real Docker engine (Debian's docker.io dockerd) on a private socket, data root and exec root. The default
 * bridge and iptables are off so it never touches the host's networking or clashes with another dockerd;
 * user-defined networks still work.
 */
export async function startDocker(): Promise<DockerService> {
	const dockerd = requireBinary('dockerd', 'docker.io');
	requireBinary('docker', 'docker.io');
	const dir = serviceDir('docker');
	const socketPath = path.join(dir, 'docker.sock');
	const logFile = path.join(dir, 'dockerd.log');
	const pidFile = path.join(dir, 'dockerd.pid');
	const child = daemon(
		dockerd,
		[
			'--host',
			`unix://${socketPath}`,
			'--data-root',
			path.join(dir, 'root'),
			'--exec-root',
			path.join(dir, 'exec'),
			'--pidfile',
			pidFile,
			'--bridge',
			'none',
			'--iptables=false',
			'--ip-masq=false',
		],
		logFile,
	);
	const stop = async () => {
		await killAndWait(readPid(pidFile) ?? child.pid, 'SIGTERM', 20000);
		const netns = path.join(dir, 'exec', 'netns');
		if (existsSync(netns))
			for (const entry of readdirSync(netns)) run('umount', ['-l', path.join(netns, entry)]);
		try {
			run('umount', ['-l', path.join(dir, 'root')]);
		} catch {
			// not a mount point on this storage driver
		}
		removeDir(dir);
	};
	try {
		await waitFor(
			'dockerd to answer /_ping',
			async () => {
				if (child.exitCode !== null) throw new Error(`dockerd exited ${child.exitCode}`);
				const ping = await dockerApi(socketPath, 'GET', '/_ping').catch(() => undefined);
				return ping?.status === 200 ? true : undefined;
			},
			{ timeoutMs: 30000, intervalMs: 100 },
		);
		const busyboxImage = 'local/busybox:latest';
		run('bash', [
			'-c',
			`tar -C '${busyboxRootfs()}' -c . | DOCKER_HOST='unix://${socketPath}' docker import -c 'CMD ["/bin/sh"]' - ${busyboxImage} >/dev/null`,
		]);
		return { socketPath, dockerHost: `unix://${socketPath}`, busyboxImage, dir, stop };
	} catch (error) {
		const tail = fileTail(logFile);
		await stop();
		throw new Error(`Docker engine did not start: ${(error as Error).message}\n${tail}`);
	}
}
