import { chownSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';

import { freePort, waitForPort } from '../harness/net';
import { selfSignedCertificate } from '../helpers/tls';
import { fileTail, killAndWait, readPid, removeDir, requireBinary, run, serviceDir } from './common';

export interface MailUser {
	address: string;
	password: string;
}

export interface MailService {
	host: string;
	/** IMAP with STARTTLS available */
	imapPort: number;
	/** IMAP over implicit TLS (self-signed certificate, see certPem) */
	imapsPort: number;
	/** SMTP submission with AUTH PLAIN/LOGIN; delivers to the mailboxes over LMTP */
	smtpPort: number;
	certPem: string;
	users: { alice: MailUser; bob: MailUser };
	dir: string;
	/** Stops dovecot (IMAP goes away, SMTP keeps accepting and fails delivery) */
	stopImap(signal?: NodeJS.Signals): Promise<void>;
	startImap(): Promise<void>;
	/** pids of the dovecot imap processes serving `user` right now (one per IMAP session) */
	imapSessions(user: string): number[];
	/** makes dovecot renumber `user`'s INBOX with a new UIDVALIDITY (what a restored or rebuilt mailbox does) */
	resetUidValidity(user: string): Promise<void>;
	stop(): Promise<void>;
}

const NOBODY = 65534;

/**
 * Real mail: Debian's dovecot (IMAP, IMAPS, LMTP; passwd-file users, maildir) on free loopback ports, and an
 * SMTP submission server (the `smtp-server` package) that authenticates against the same users and hands each
 * message to dovecot over LMTP, so a mail sent by SMTP shows up in IMAP like on a real mail host.
 */
export async function startMail(): Promise<MailService> {
	const dovecot = requireBinary('dovecot', 'dovecot-imapd');
	const dir = serviceDir('mail');
	const [imapPort, imapsPort, lmtpPort, smtpPort] = [
		await freePort(),
		await freePort(),
		await freePort(),
		await freePort(),
	];
	const users = {
		alice: { address: 'alice@lab.test', password: 'alicepw' },
		bob: { address: 'bob@lab.test', password: 'bobpw' },
	};
	const { key, cert } = selfSignedCertificate('localhost');
	writeFileSync(path.join(dir, 'cert.pem'), cert);
	writeFileSync(path.join(dir, 'key.pem'), key, { mode: 0o600 });
	mkdirSync(path.join(dir, 'run'));
	mkdirSync(path.join(dir, 'state'));
	mkdirSync(path.join(dir, 'vmail'));
	chownSync(path.join(dir, 'vmail'), NOBODY, NOBODY);
	writeFileSync(
		path.join(dir, 'users'),
		Object.values(users)
			.map(
				(user) =>
					`${user.address}:{PLAIN}${user.password}:${NOBODY}:${NOBODY}::${dir}/vmail/${user.address}::\n`,
			)
			.join(''),
	);
	const conf = path.join(dir, 'dovecot.conf');
	const logFile = path.join(dir, 'dovecot.log');
	writeFileSync(
		conf,
		`protocols = imap lmtp
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${logFile}
ssl = yes
ssl_cert = <${dir}/cert.pem
ssl_key = <${dir}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
first_valid_uid = 1
verbose_proctitle = yes
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = passwd-file
  args = username_format=%u ${dir}/users
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${imapPort}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${imapsPort}
    ssl = yes
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${lmtpPort}
  }
}
`,
	);
	const pidFile = path.join(dir, 'run', 'master.pid');
	const startImap = async () => {
		// dovecot keeps stderr open: send it to the log file, never to a pipe this process waits on.
		run('bash', ['-c', `'${dovecot}' -c '${conf}' </dev/null >>'${logFile}' 2>&1`]);
		await waitForPort(imapPort);
		await waitForPort(lmtpPort);
	};
	const stopImap = async (signal: NodeJS.Signals = 'SIGTERM') => await killAndWait(readPid(pidFile), signal);
	const imapSessions = (user: string) => {
		const master = readPid(pidFile);
		return readdirSync('/proc')
			.filter((entry) => /^\d+$/.test(entry))
			.filter((pid) => {
				try {
					const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
					const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
					const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
					return ppid === master && title.startsWith('dovecot/imap ') && title.includes(user);
				} catch {
					return false; // exited meanwhile
				}
			})
			.map(Number);
	};
	const resetUidValidity = async (user: string) => {
		await stopImap();
		// UIDVALIDITY is derived from the clock in seconds: make sure the new one differs.
		await new Promise((resolve) => setTimeout(resolve, 1100));
		const maildir = path.join(dir, 'vmail', user, 'Maildir');
		for (const file of readdirSync(maildir)) {
			if (file === 'dovecot-uidlist' || file.startsWith('dovecot.index'))
				rmSync(path.join(maildir, file), { force: true });
		}
		await startImap();
	};

	const lmtp = nodemailer.createTransport({
		host: '127.0.0.1',
		port: lmtpPort,
		lmtp: true,
		secure: false,
		ignoreTLS: true,
	});
	const smtp = new SMTPServer({
		secure: false,
		key,
		cert,
		authMethods: ['PLAIN', 'LOGIN'],
		allowInsecureAuth: true,
		banner: 'homelab test submission',
		size: 40 * 1024 * 1024,
		onAuth(auth, _session, callback) {
			const user = Object.values(users).find((candidate) => candidate.address === auth.username);
			if (!user || user.password !== auth.password)
				return callback(new Error('Invalid username or password'));
			callback(null, { user: user.address });
		},
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
				const to = session.envelope.rcptTo.map((recipient) => recipient.address);
				lmtp.sendMail({ envelope: { from, to }, raw: Buffer.concat(chunks) }).then(
					() => callback(),
					(error: Error) =>
						callback(Object.assign(new Error(`delivery failed: ${error.message}`), { responseCode: 451 })),
				);
			});
		},
	});
	const stop = async () => {
		await new Promise<void>((resolve) => smtp.close(() => resolve()));
		lmtp.close();
		await stopImap();
		removeDir(dir);
	};
	try {
		await startImap();
		await new Promise<void>((resolve, reject) => {
			smtp.once('error', reject);
			smtp.listen(smtpPort, '127.0.0.1', () => resolve());
		});
	} catch (error) {
		const tail = fileTail(logFile);
		await stop();
		throw new Error(`mail servers did not start: ${(error as Error).message}\n${tail}`);
	}
	return {
		host: '127.0.0.1',
		imapPort,
		imapsPort,
		smtpPort,
		certPem: cert,
		users,
		dir,
		stopImap,
		startImap,
		imapSessions,
		resetUidValidity,
		stop,
	};
}
