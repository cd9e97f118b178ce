import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

export interface CertificateAuthority {
	/** the CA's certificate: what a client trusts */
	ca: string;
	/** a server certificate for localhost and 127.0.0.1, signed by the CA */
	serverCert: string;
	serverKey: string;
	/** a client certificate (CN `clientName`) signed by the CA, for servers that require one */
	clientCert: string;
	clientKey: string;
}

/**
 * A private CA (as a homelab makes one for its broker) with one server and one client certificate, made by
 * the openssl CLI. Unlike selfSignedCertificate, the server certificate is not its own issuer, so a client
 * verifies it by trusting the CA.
 */
export function certificateAuthority(clientName = 'n8n-homelab', days = 30): CertificateAuthority {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'homelab-ca-'));
	const file = (name: string) => path.join(dir, name);
	const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
	try {
		openssl([
			'req',
			'-x509',
			'-newkey',
			'rsa:2048',
			'-nodes',
			'-days',
			String(days),
			'-subj',
			'/CN=Homelab Test CA',
			'-addext',
			'basicConstraints=critical,CA:TRUE',
			'-addext',
			'keyUsage=critical,keyCertSign,cRLSign',
			'-keyout',
			file('ca.key'),
			'-out',
			file('ca.pem'),
		]);
		const issue = (name: string, subject: string, extensions: string) => {
			openssl([
				'req',
				'-newkey',
				'rsa:2048',
				'-nodes',
				'-subj',
				subject,
				'-keyout',
				file(`${name}.key`),
				'-out',
				file(`${name}.csr`),
			]);
			writeFileSync(file(`${name}.ext`), extensions);
			openssl([
				'x509',
				'-req',
				'-in',
				file(`${name}.csr`),
				'-CA',
				file('ca.pem'),
				'-CAkey',
				file('ca.key'),
				'-CAcreateserial',
				'-days',
				String(days),
				'-extfile',
				file(`${name}.ext`),
				'-out',
				file(`${name}.pem`),
			]);
		};
		issue(
			'server',
			'/CN=localhost',
			'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
		);
		issue('client', `/CN=${clientName}`, 'extendedKeyUsage=clientAuth\n');
		const read = (name: string) => readFileSync(file(name), 'utf8');
		return {
			ca: read('ca.pem'),
			serverCert: read('server.pem'),
			serverKey: read('server.key'),
			clientCert: read('client.pem'),
			clientKey: read('client.key'),
		};
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
