import { chownSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { freePort, waitForPort } from '../harness/net';
import { certificateAuthority } from '../helpers/tls';
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
	/** anonymous MQTT over TLS; the server certificate (localhost, 127.0.0.1) is signed by `ca` */
	tlsPort: number;
	/** MQTT over TLS that requires a client certificate signed by `ca` (mosquitto's require_certificate) */
	mtlsPort: number;
	/** PEM of the private CA that signed the broker's certificate and clientCert */
	ca: string;
	clientCert: string;
	clientKey: string;
	dir: string;
	/** stop (persisting sessions and queued QoS 1 messages) and start again on the same ports */
	restart(downMs?: number): Promise<void>;
	stop(): Promise<void>;
}

/**
 * Debian's mosquitto on free loopback ports, with persistence so QoS 1 sessions survive a restart: plain TCP,
 * websockets, TCP with a password file, and two TLS listeners (mosquitto.conf(5) "Certificate based SSL/TLS
 * support") with a certificate from a CA made for this run, one of them requiring a client certificate.
 */
export async function startMqtt(): Promise<MqttService> {
	const mosquitto = requireBinary('mosquitto', 'mosquitto');
	const mosquittoPasswd = requireBinary('mosquitto_passwd', 'mosquitto-clients');
	const dir = serviceDir('mqtt');
	const [port, wsPort, authPort, tlsPort, mtlsPort] = [
		await freePort(),
		await freePort(),
		await freePort(),
		await freePort(),
		await freePort(),
	];
	const authority = certificateAuthority();
	const tlsFiles = {
		ca: path.join(dir, 'ca.pem'),
		cert: path.join(dir, 'server.pem'),
		key: path.join(dir, 'server.key'),
	};
	writeFileSync(tlsFiles.ca, authority.ca);
	writeFileSync(tlsFiles.cert, authority.serverCert);
	writeFileSync(tlsFiles.key, authority.serverKey, { mode: 0o600 });
	const tlsListener = `cafile ${tlsFiles.ca}
certfile ${tlsFiles.cert}
keyfile ${tlsFiles.key}
`;
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
listener ${tlsPort} 127.0.0.1
allow_anonymous true
${tlsListener}listener ${mtlsPort} 127.0.0.1
allow_anonymous true
${tlsListener}require_certificate true
`,
	);
	writeFileSync(path.join(dir, 'passwd'), '');
	run(mosquittoPasswd, ['-b', path.join(dir, 'passwd'), username, password]);
	// mosquitto drops to user "mosquitto": it must own its directory, logs and password file.
	const uid = Number(run('id', ['-u', 'mosquitto']).trim());
	const gid = Number(run('id', ['-g', 'mosquitto']).trim());
	for (const file of [dir, path.join(dir, 'passwd'), conf, ...Object.values(tlsFiles)])
		chownSync(file, uid, gid);
	const start = async () => {
		run(mosquitto, ['-c', conf, '-d']);
		await waitForPort(port);
		await waitForPort(authPort);
		await waitForPort(tlsPort);
		await waitForPort(mtlsPort);
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
		tlsPort,
		mtlsPort,
		ca: authority.ca,
		clientCert: authority.clientCert,
		clientKey: authority.clientKey,
		dir,
		restart: async (downMs = 0) => {
			await stopBroker();
			await new Promise((resolve) => setTimeout(resolve, downMs));
			await start();
		},
		stop,
	};
}
