import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SelfSignedCertificate {
	key: string;
	cert: string;
}

/** A fresh self-signed certificate for `commonName`, valid `days` days, made by the openssl CLI. */
export function selfSignedCertificate(commonName = 'localhost', days = 30): SelfSignedCertificate {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'homelab-cert-'));
	try {
		execFileSync(
			'openssl',
			[
				'req',
				'-x509',
				'-newkey',
				'rsa:2048',
				'-nodes',
				'-days',
				String(days),
				'-subj',
				`/CN=${commonName}`,
				'-addext',
				`subjectAltName=DNS:${commonName},IP:127.0.0.1`,
				'-keyout',
				path.join(dir, 'key.pem'),
				'-out',
				path.join(dir, 'cert.pem'),
			],
			{ stdio: 'ignore' },
		);
		return {
			key: readFileSync(path.join(dir, 'key.pem'), 'utf8'),
			cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
		};
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
