import { chownSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { freePort, waitForPort } from '../harness/net';
import { fileTail, killAndWait, readPid, removeDir, requireBinary, run, serviceDir } from './common';

export interface MqttService {
	/** anonymous MQTT over TCP */
	url: string;
	port: number;
	/** anonymous MQTT over websockets */
	wsUrl: string;
	/** MQTT over TCP requiring username/password */
	authPort: number;
	username: string;
	password: string;
	dir: string;
	/** stop (persisting sessions and queued QoS 1 messages) and start again on the same ports */
	restart(downMs?: number): Promise<void>;
	stop(): Promise<void>;
}

/** Debian's mosquitto on free loopback ports, with persistence so QoS 1 sessions survive a restart. */
export async function startMqtt(): Promise<MqttService> {
	const mosquitto = requireBinary('mosquitto', 'mosquitto');
	const mosquittoPasswd = requireBinary('mosquitto_passwd', 'mosquitto-clients');
	const dir = serviceDir('mqtt');
	const [port, wsPort, authPort] = [await freePort(), await freePort(), await freePort()];
	const username = 'homelab';
	const password = 's3cret';
	const conf = path.join(dir, 'mosquitto.conf');
	const logFile = path.join(dir, 'mosquitto.log');
	const pidFile = path.join(dir, 'mosquitto.pid');
	writeFileSync(
		conf,
		`per_listener_settings true
persistence true
persistence_location ${dir}/
autosave_interval 1
log_dest file ${logFile}
pid_file ${pidFile}
listener ${port} 127.0.0.1
allow_anonymous true
listener ${wsPort} 127.0.0.1
socket_domain ipv4
protocol websockets
allow_anonymous true
listener ${authPort} 127.0.0.1
allow_anonymous false
password_file ${dir}/passwd
`,
	);
	writeFileSync(path.join(dir, 'passwd'), '');
	run(mosquittoPasswd, ['-b', path.join(dir, 'passwd'), username, password]);
	// mosquitto drops to user "mosquitto": it must own its directory, logs and password file.
	const uid = Number(run('id', ['-u', 'mosquitto']).trim());
	const gid = Number(run('id', ['-g', 'mosquitto']).trim());
	for (const file of [dir, path.join(dir, 'passwd'), conf]) chownSync(file, uid, gid);
	const start = async () => {
		run(mosquitto, ['-c', conf, '-d']);
		await waitForPort(port);
		await waitForPort(authPort);
	};
	const stopBroker = async () => await killAndWait(readPid(pidFile));
	const stop = async () => {
		await stopBroker();
		removeDir(dir);
	};
	try {
		await start();
	} catch (error) {
		const tail = fileTail(logFile);
		await stop();
		throw new Error(`mosquitto did not start: ${(error as Error).message}\n${tail}`);
	}
	return {
		url: `mqtt://127.0.0.1:${port}`,
		port,
		wsUrl: `ws://127.0.0.1:${wsPort}`,
		authPort,
		username,
		password,
		dir,
		restart: async (downMs = 0) => {
			await stopBroker();
			await new Promise((resolve) => setTimeout(resolve, downMs));
			await start();
		},
		stop,
	};
}
