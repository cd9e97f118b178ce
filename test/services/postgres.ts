import { writeFileSync, chownSync, mkdirSync } from 'node:fs';
import path from 'node:path';

import { freePort } from '../harness/net';
import { fileTail, removeDir, requireBinary, run, serviceDir } from './common';

export interface PostgresService {
	host: string;
	port: number;
	user: string;
	password: string;
	database: string;
	connectionString: string;
	/** creates a database and returns its connection string */
	createDatabase(name: string): string;
	stop(): Promise<void>;
}

const PG_BIN = '/usr/lib/postgresql/15/bin';

/** Debian's PostgreSQL 15: a fresh cluster (initdb) in a temp dir on a free loopback port, password auth. */
export async function startPostgres(): Promise<PostgresService> {
	requireBinary(path.join(PG_BIN, 'initdb'), 'postgresql');
	const dir = serviceDir('pg');
	const data = path.join(dir, 'data');
	const port = await freePort();
	const password = 'pgpw';
	const postgresUid = Number(run('id', ['-u', 'postgres']).trim());
	const postgresGid = Number(run('id', ['-g', 'postgres']).trim());
	mkdirSync(path.join(dir, 'sock'));
	writeFileSync(path.join(dir, 'pwfile'), `${password}\n`);
	for (const file of [dir, path.join(dir, 'pwfile'), path.join(dir, 'sock')])
		chownSync(file, postgresUid, postgresGid);
	const asPostgres = (binary: string, args: string[]) =>
		run('runuser', ['-u', 'postgres', '--', path.join(PG_BIN, binary), ...args]);
	const logFile = path.join(dir, 'pg.log');
	const stop = async () => {
		try {
			asPostgres('pg_ctl', ['-D', data, 'stop', '-m', 'fast', '-w']);
		} catch {
			// was not running
		}
		removeDir(dir);
	};
	try {
		asPostgres('initdb', [
			'-D',
			data,
			'-U',
			'postgres',
			'--auth-local=trust',
			'--auth-host=scram-sha-256',
			`--pwfile=${path.join(dir, 'pwfile')}`,
			'-E',
			'UTF8',
			'--locale=C.UTF-8',
		]);
		asPostgres('pg_ctl', [
			'-D',
			data,
			'-l',
			logFile,
			'-w',
			'-t',
			'60',
			'-o',
			`-p ${port} -c listen_addresses=127.0.0.1 -k ${path.join(dir, 'sock')} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
			'start',
		]);
	} catch (error) {
		const tail = fileTail(logFile);
		await stop();
		throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${tail}`);
	}
	const url = (database: string) => `postgres://postgres:${password}@127.0.0.1:${port}/${database}`;
	return {
		host: '127.0.0.1',
		port,
		user: 'postgres',
		password,
		database: 'postgres',
		connectionString: url('postgres'),
		createDatabase: (name) => {
			if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
			asPostgres('createdb', ['-h', path.join(dir, 'sock'), '-p', String(port), '-U', 'postgres', name]);
			return url(name);
		},
		stop,
	};
}
