import path from 'node:path';

import { freePort, waitForPort } from '../harness/net';
import { fileTail, killAndWait, readPid, removeDir, requireBinary, run, serviceDir } from './common';

export interface RedisService {
	host: string;
	port: number;
	password: string;
	url: string;
	stop(): Promise<void>;
}

/** Debian's redis-server on a free loopback port with a password and no persistence. */
export async function startRedis(): Promise<RedisService> {
	const redisServer = requireBinary('redis-server', 'redis-server');
	const dir = serviceDir('redis');
	const port = await freePort();
	const password = 'redispw';
	const pidFile = path.join(dir, 'redis.pid');
	const logFile = path.join(dir, 'redis.log');
	const stop = async () => {
		await killAndWait(readPid(pidFile));
		removeDir(dir);
	};
	try {
		run(redisServer, [
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--daemonize',
			'yes',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
			'--pidfile',
			pidFile,
			'--logfile',
			logFile,
			'--requirepass',
			password,
		]);
		await waitForPort(port);
	} catch (error) {
		const tail = fileTail(logFile);
		await stop();
		throw new Error(`redis-server did not start: ${(error as Error).message}\n${tail}`);
	}
	return { host: '127.0.0.1', port, password, url: `redis://:${password}@127.0.0.1:${port}`, stop };
}
