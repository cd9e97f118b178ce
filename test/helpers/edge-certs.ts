import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface IssuedCertificate {
	cert: string;
	key: string;
}

export interface TestCa {
	caPem: string;
	/** a server certificate for `names`, valid between the two dates (past dates make an expired one) */
	issue(names: string[], notBefore: Date, notAfter: Date): IssuedCertificate;
	dispose(): void;
}

const asn1Time = (date: Date) => `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;

/**
 * A private CA made with the openssl CLI whose `openssl ca` sets explicit validity dates (`req -days` accepts no
 * past dates, and an expired certificate is what the verify tests need).
 */
export function testCa(commonName = 'Edge Test CA'): TestCa {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'homelab-edge-ca-'));
	const file = (name: string) => path.join(dir, name);
	const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
	writeFileSync(file('index.txt'), '');
	writeFileSync(file('serial'), '1000\n');
	writeFileSync(
		file('ca.cnf'),
		`[ ca ]\ndefault_ca = lab\n[ lab ]\ndatabase = ${file('index.txt')}\nnew_certs_dir = ${dir}\nserial = ${file('serial')}\n` +
			'default_md = sha256\npolicy = any\ncopy_extensions = copy\nunique_subject = no\n[ any ]\ncommonName = supplied\n',
	);
	openssl([
		'req',
		'-x509',
		'-newkey',
		'rsa:2048',
		'-nodes',
		'-days',
		'30',
		'-subj',
		`/CN=${commonName}`,
		'-addext',
		'basicConstraints=critical,CA:TRUE',
		'-addext',
		'keyUsage=critical,keyCertSign,cRLSign',
		'-keyout',
		file('ca.key'),
		'-out',
		file('ca.pem'),
	]);
	let count = 0;
	return {
		caPem: readFileSync(file('ca.pem'), 'utf8'),
		issue(names, notBefore, notAfter) {
			const name = `leaf${++count}`;
			openssl([
				'req',
				'-newkey',
				'rsa:2048',
				'-nodes',
				'-subj',
				`/CN=${names[0]}`,
				'-addext',
				`subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`,
				'-keyout',
				file(`${name}.key`),
				'-out',
				file(`${name}.csr`),
			]);
			openssl([
				'ca',
				'-batch',
				'-config',
				file('ca.cnf'),
				'-cert',
				file('ca.pem'),
				'-keyfile',
				file('ca.key'),
				'-startdate',
				asn1Time(notBefore),
				'-enddate',
				asn1Time(notAfter),
				'-notext',
				'-in',
				file(`${name}.csr`),
				'-out',
				file(`${name}.pem`),
			]);
			return {
				cert: readFileSync(file(`${name}.pem`), 'utf8'),
				key: readFileSync(file(`${name}.key`), 'utf8'),
			};
		},
		dispose: () => rmSync(dir, { recursive: true, force: true }),
	};
}
