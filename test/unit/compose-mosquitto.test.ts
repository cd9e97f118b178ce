import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import mqtt from 'mqtt';
import { parse } from 'yaml';

import { freePort, waitForPort } from '../harness/net';
import { REPO_ROOT } from '../harness/runtime';
import { killAndWait, readPid, removeDir, requireBinary, run, serviceDir } from '../services/common';

interface ComposeFile {
	services: Record<string, { command?: string[]; environment?: Record<string, string> }>;
}

/** Connects once; resolves with the broker's answer: 'connected' or its refusal. */
async function tryConnect(port: number, auth: { username?: string; password?: string }): Promise<string> {
	const client = mqtt.connect(`mqtt://127.0.0.1:${port}`, {
		...auth,
		reconnectPeriod: 0,
		connectTimeout: 10000,
	});
	try {
		return await new Promise<string>((resolve) => {
			client.once('connect', () => resolve('connected'));
			client.once('error', (error) => resolve(error.message));
		});
	} finally {
		client.end(true);
	}
}

describe("the compose file's MQTT broker (deploy/mosquitto/mosquitto.conf)", () => {
	const dir = serviceDir('compose-mosquitto');
	after(async () => {
		await killAndWait(readPid(path.join(dir, 'mosquitto.pid')));
		removeDir(dir);
	});

	it('admits the .env user only: anonymous and wrong passwords are refused', async () => {
		const mosquitto = requireBinary('mosquitto', 'mosquitto');
		requireBinary('mosquitto_passwd', 'mosquitto-clients');
		const port = await freePort();
		// The shipped config and the compose service's start command, with the container's /mosquitto here.
		const here = (text: string) => text.replaceAll('/mosquitto/', `${dir}/`);
		const conf = path.join(dir, 'mosquitto.conf');
		const shipped = readFileSync(path.join(REPO_ROOT, 'deploy/mosquitto/mosquitto.conf'), 'utf8');
		writeFileSync(
			conf,
			`${here(shipped).replace(/^listener 1883$/m, `listener ${port} 127.0.0.1`)}\npid_file ${dir}/mosquitto.pid\n`,
		);
		const compose = parse(readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8')) as ComposeFile;
		const startCommand = compose.services.mosquitto.command?.[0] ?? '';
		const makePasswordFile = here(
			startCommand
				.split('&& exec ')[0]
				.replaceAll('$$', '$')
				.replace(/&&\s*$/, ''),
		);
		const made = spawnSync('sh', ['-c', makePasswordFile], {
			env: { ...process.env, MQTT_USERNAME: 'frigate', MQTT_PASSWORD: 'a-long-broker-secret' },
			encoding: 'utf8',
		});
		assert.equal(made.status, 0, made.stderr);
		const passwd = readFileSync(path.join(dir, 'auth/passwd'), 'utf8');
		assert.match(passwd, /^frigate:\$7\$/, 'hashed, not the password itself');
		// What the image's entrypoint does before mosquitto drops to its own user.
		const [uid, gid] = ['-u', '-g'].map((flag) => Number(run('id', [flag, 'mosquitto']).trim()));
		for (const file of [dir, conf, path.join(dir, 'auth'), path.join(dir, 'auth/passwd')])
			chownSync(file, uid, gid);
		execFileSync(mosquitto, ['-c', conf, '-d']);
		await waitForPort(port);

		assert.match(await tryConnect(port, {}), /Not authorized/i);
		assert.match(
			await tryConnect(port, { username: 'frigate', password: 'wrong' }),
			/Not authorized|Bad user/i,
		);
		assert.equal(
			await tryConnect(port, { username: 'frigate', password: 'a-long-broker-secret' }),
			'connected',
		);
	});

	it('cannot be brought up without MQTT_USERNAME and MQTT_PASSWORD in .env', () => {
		const compose = requireBinary('docker-compose', 'docker-compose');
		const envFile = path.join(dir, 'no-mqtt.env');
		const example = readFileSync(path.join(REPO_ROOT, '.env.example'), 'utf8');
		writeFileSync(envFile, example.replace(/^MQTT_PASSWORD=.*$/m, ''));
		const result = spawnSync(compose, ['-f', 'docker-compose.yml', '--env-file', envFile, 'config'], {
			cwd: REPO_ROOT,
			encoding: 'utf8',
		});
		assert.notEqual(result.status, 0);
		assert.match(result.stderr, /set MQTT_PASSWORD in \.env/);
	});
});

describe('the backend image (backend/Dockerfile)', () => {
	it('creates /data owned by node before switching to it, so a fresh volume is writable', () => {
		const dockerfile = readFileSync(path.join(REPO_ROOT, 'backend/Dockerfile'), 'utf8');
		const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
		const creates = /^RUN .*mkdir -p \/data && chown node:node \/data/m.exec(runtimeStage);
		assert.ok(creates, 'the runtime stage creates /data for node');
		assert.ok(creates.index < runtimeStage.indexOf('\nUSER node'), 'as root, before USER node');
		const compose = parse(readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8')) as ComposeFile;
		assert.match(compose.services.backend.environment?.HOMELAB_BACKEND_DB ?? '', /^\/data\//);
	});
});
