import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
	SynologyApiError,
	SynologyClient,
	SynologyInputError,
	explainDsmError,
	totp,
	type DeviceIdStore,
	type Params,
	type TaskProgress,
} from '../../clients/synology';
import { DsmSimulator } from '../simulators/synology/server';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

function memoryStore(): DeviceIdStore & { values: Map<string, string> } {
	const values = new Map<string, string>();
	return { values, get: (key) => values.get(key), set: (key, id) => void values.set(key, id) };
}

describe('Synology client against the DSM simulator', () => {
	let sim: DsmSimulator;
	let tfa: DsmSimulator;
	const clients: SynologyClient[] = [];
	const client = (options: Partial<ConstructorParameters<typeof SynologyClient>[0]> = {}, target = sim) => {
		const created = new SynologyClient({
			url: target.url,
			account: target.account,
			password: target.password,
			pollIntervalMs: 10,
			...options,
		});
		clients.push(created);
		return created;
	};
	before(async () => {
		sim = await new DsmSimulator().start();
		tfa = await new DsmSimulator({ otpSecret: SECRET }).start();
	});
	after(async () => {
		await sim.close();
		await tfa.close();
	});

	describe('discovery and sessions', () => {
		it('resolves paths and versions from SYNO.API.Info instead of hard-coding them', async () => {
			const dsm = client();
			await dsm.listDownloads();
			await dsm.copyMove(['/docker'], '/backups');
			const ds = sim.requestsFor('SYNO.DownloadStation.Task').at(-1);
			assert.equal(ds?.path, '/webapi/DownloadStation/task.cgi');
			assert.equal(ds?.version, '3');
			assert.equal(sim.requestsFor('SYNO.FileStation.CopyMove').at(-1)?.version, '3');
			assert.equal(sim.requestsFor('SYNO.API.Auth')[0].version, '7');
			assert.equal(sim.requestsFor('SYNO.API.Info').length >= 1, true);
		});

		it('talks to a DSM 6 layout (auth.cgi, older versions) with the same code', async () => {
			const dsm6 = await new DsmSimulator({ dsm6: true }).start();
			try {
				const dsm = client({}, dsm6);
				await dsm.copyMove(['/docker'], '/backups');
				await dsm.listDownloads();
				await dsm.logout();
				const auth = dsm6.requestsFor('SYNO.API.Auth');
				assert.deepEqual(
					auth.map((r) => [r.path, r.method, r.version]),
					[
						['/webapi/auth.cgi', 'login', '6'],
						['/webapi/auth.cgi', 'logout', '6'],
					],
				);
				assert.equal(dsm6.requestsFor('SYNO.FileStation.CopyMove')[0].version, '2');
				assert.equal(dsm6.requestsFor('SYNO.DownloadStation.Task')[0].version, '1');
			} finally {
				await dsm6.close();
			}
		});

		it('logs in again once when the session timed out (106) or vanished (119)', async () => {
			const dsm = client();
			await dsm.listShares();
			assert.equal(dsm.logins, 1);
			sim.expireSessions();
			assert.ok((await dsm.listShares()).total >= 4);
			assert.equal(dsm.logins, 2);
			sim.dropSessions();
			await dsm.listShares();
			assert.equal(dsm.logins, 3);
		});

		it('does not loop when the login after an expired session fails', async () => {
			const other = await new DsmSimulator().start();
			try {
				const dsm = client({}, other);
				await dsm.listShares();
				other.expireSessions();
				(other as unknown as { password: string }).password = 'changed';
				await assert.rejects(dsm.listShares(), (error: unknown) => {
					assert.ok(error instanceof SynologyApiError);
					assert.equal(error.code, 400);
					assert.match(error.message, /no such account or incorrect password \(DSM error 400\)/);
					return true;
				});
				assert.equal(other.requestsFor('SYNO.FileStation.List').length, 2);
			} finally {
				await other.close();
			}
		});

		it('logs out, after which the old SID is refused with 119', async () => {
			const dsm = client();
			await dsm.listShares();
			assert.equal(sim.sessions.size > 0, true);
			const before = sim.sessions.size;
			await dsm.logout();
			assert.equal(sim.sessions.size, before - 1);
		});
	});

	describe('2-step verification and the device token', () => {
		it('explains that an OTP is needed when none is configured', async () => {
			await assert.rejects(client({}, tfa).listShares(), (error: unknown) => {
				assert.ok(error instanceof SynologyApiError);
				assert.equal(error.code, 403);
				assert.match(error.message, /2-step verification code required: set the OTP code or OTP secret/);
				return true;
			});
		});

		it('logs in with a one-time code, stores the device id, and later logins need no OTP', async () => {
			const store = memoryStore();
			const first = client({ otpCode: totp(SECRET), deviceStore: store }, tfa);
			await first.listShares();
			const key = `${tfa.url}|${tfa.account}`;
			const did = store.values.get(key);
			assert.ok(did, 'device id stored');
			assert.equal(first.deviceId, did);
			const otpLogins = tfa.otpLogins;
			// A new client (a new execution) without any OTP logs in through the stored device id.
			const later = client({ deviceStore: store }, tfa);
			await later.listShares();
			assert.equal(tfa.otpLogins, otpLogins, 'no OTP was used');
			assert.equal(tfa.requestsFor('SYNO.API.Auth').length > 0, true);
			// Re-login after expiry still needs no OTP.
			tfa.expireSessions();
			await later.listShares();
			assert.equal(later.logins, 2);
			assert.equal(tfa.otpLogins, otpLogins);
		});

		it('rejects a wrong OTP with 404 in words', async () => {
			const wrong = String((Number(totp(SECRET)) + 1) % 1000000).padStart(6, '0');
			await assert.rejects(
				client({ otpCode: wrong }, tfa).listShares(),
				/not accepted \(wrong or expired code/,
			);
		});

		it('with the OTP secret, a revoked device id falls back to a fresh code and stores the new id', async () => {
			const store = memoryStore();
			await client({ otpSecret: SECRET, deviceStore: store }, tfa).listShares();
			const key = `${tfa.url}|${tfa.account}`;
			const firstId = store.values.get(key);
			tfa.revokeDevices();
			await assert.rejects(
				client({ deviceStore: store }, tfa).listShares(),
				/2-step verification code required/,
			);
			await client({ otpSecret: SECRET, deviceStore: store }, tfa).listShares();
			assert.ok(store.values.get(key));
			assert.notEqual(store.values.get(key), firstId);
		});

		it('a malformed OTP secret is explained without quoting any character of it', async () => {
			// Characters a base32 secret cannot hold; the message must show none of them, nor the secret.
			for (const bad of ['JBSWY3DPEHPK3PX!', 'JBSWY3DPEHPK3PX8', 'JBSWY3DPEHPK3PX0', 'JBSWY3DP#HPK3PXP']) {
				await assert.rejects(client({ otpSecret: bad }, tfa).listShares(), (error: unknown) => {
					assert.ok(error instanceof SynologyInputError);
					assert.match(error.message, /the OTP secret is not base32: it may contain only the letters A-Z/);
					for (const char of '!80#')
						assert.ok(!error.message.includes(char), `"${char}" in ${error.message}`);
					assert.ok(!error.message.includes(bad.slice(0, 4)));
					return true;
				});
			}
			await assert.rejects(client({ otpSecret: ' - ' }, tfa).listShares(), /the OTP secret is empty/);
		});
	});

	describe('errors in words', () => {
		it('explains codes per API family', () => {
			assert.equal(explainDsmError('SYNO.API.Auth', 400), 'no such account or incorrect password');
			assert.equal(explainDsmError('SYNO.FileStation.List', 400), 'invalid parameter of the file operation');
			assert.equal(explainDsmError('SYNO.DownloadStation.Task', 403), 'the destination does not exist');
			assert.match(explainDsmError('SYNO.FileStation.Upload', 1805), /no overwrite parameter/);
			assert.match(explainDsmError('SYNO.Core.Package', 105), /does not have permission/);
			assert.match(explainDsmError('SYNO.Core.Package', 119), /SID\) was not found/);
			assert.match(explainDsmError('SYNO.Backup.Task', 4401), /does not document/);
			for (const code of [400, 401, 402, 403, 404, 406, 407, 408, 409, 410]) {
				assert.doesNotMatch(explainDsmError('SYNO.API.Auth', code), /does not document/, `auth ${code}`);
			}
		});

		it('a missing folder is reported as File Station 408 in words', async () => {
			await assert.rejects(client().listFolder('/media/nope'), /no such file or directory \(DSM error 408\)/);
			await assert.rejects(
				client().getInfo(['/media/nope.txt']),
				/no such file or directory \(DSM error 408\)/,
			);
			await assert.rejects(
				client().download('/media/nope.txt'),
				/no such file or directory \(DSM error 408\)/,
			);
		});
	});

	describe('path traversal is refused before any request', () => {
		it('refuses ".." and "." in every path-taking operation', async () => {
			const dsm = client();
			await dsm.listShares();
			const count = sim.requests.length;
			const refused = [
				dsm.listFolder('/media/../docker'),
				dsm.getInfo(['/media/./x']),
				dsm.createFolder('/media', '..'),
				dsm.createFolder('/media/..', 'x'),
				dsm.rename('/media/a', '../b'),
				dsm.copyMove(['/media/a'], '/media/../../etc'),
				dsm.delete(['/../media']),
				dsm.upload('/media/..', 'a.txt', Buffer.from('x')),
				dsm.upload('/media', '../a.txt', Buffer.from('x')),
				dsm.download('/media/..\\..\\secret'),
				dsm.search('/media/..', { pattern: '*' }),
				dsm.createShareLink('/media/../x'),
				dsm.createDownload({ uri: 'https://example.com/a.iso', destination: 'downloads/../../etc' }),
				dsm.listSnapshots('../media'),
			];
			for (const attempt of refused) {
				await assert.rejects(attempt, (error: unknown) => error instanceof SynologyInputError);
			}
			assert.equal(sim.requests.length, count, 'no request reached DSM');
		});

		it('the simulator itself refuses ".." with 418 (as DSM does)', async () => {
			const dsm = client();
			await dsm.listShares();
			const sid = [...sim.sessions.keys()].at(-1) as string;
			const response = await fetch(
				`${sim.url}/webapi/entry.cgi?api=SYNO.FileStation.List&version=2&method=list&folder_path=/media/../docker&_sid=${sid}`,
			);
			assert.deepEqual(await response.json(), { success: false, error: { code: 418 } });
		});
	});

	describe('simulator envelope rules', () => {
		const get = async (query: string) => await (await fetch(`${sim.url}/webapi/entry.cgi?${query}`)).json();
		it('101 without api/method/version, 102 unknown API, 103 unknown method, 104 unknown version, 119 no SID', async () => {
			assert.deepEqual(await get('api=SYNO.FileStation.List&method=list'), {
				success: false,
				error: { code: 101 },
			});
			assert.deepEqual(await get('api=SYNO.Nope&version=1&method=list'), {
				success: false,
				error: { code: 102 },
			});
			assert.deepEqual(await get('api=SYNO.FileStation.List&version=2&method=nope'), {
				success: false,
				error: { code: 103 },
			});
			assert.deepEqual(await get('api=SYNO.FileStation.List&version=9&method=list_share'), {
				success: false,
				error: { code: 104 },
			});
			assert.deepEqual(await get('api=SYNO.FileStation.List&version=2&method=list_share'), {
				success: false,
				error: { code: 119 },
			});
		});
	});

	describe('File Station', () => {
		it('upload → list (paging, sort, additional) → getinfo → download gives the same bytes', async () => {
			const dsm = client();
			const bytes = Buffer.from(Array.from({ length: 70000 }, (_, i) => (i * 7) % 256));
			await dsm.upload('/media/inbox', 'b.bin', bytes);
			await dsm.upload('/media/inbox', 'a.txt', Buffer.from('hello'));
			await dsm.upload('/media/inbox', 'c.txt', Buffer.from('third file'));
			const skipped = await dsm.upload('/media/inbox', 'a.txt', Buffer.from('other'), { overwrite: false });
			assert.equal(skipped.blSkip, true);
			const page = await dsm.listFolder('/media/inbox', {
				offset: 1,
				limit: 1,
				sortBy: 'name',
				sortDirection: 'desc',
				additional: ['size'],
			});
			assert.equal(page.total, 3);
			assert.deepEqual(
				page.files.map((file) => [file.name, (file.additional as { size: number }).size]),
				[['b.bin', 70000]],
			);
			const info = await dsm.getInfo(['/media/inbox/a.txt'], ['size', 'time']);
			assert.equal(info.files[0].name, 'a.txt');
			const downloaded = await dsm.download('/media/inbox/b.bin');
			assert.ok(downloaded.data.equals(bytes));
			assert.equal(downloaded.fileName, 'b.bin');
			assert.equal((await dsm.download('/media/inbox/a.txt')).data.toString(), 'hello');
		});

		it('create folder, rename, copy and move (awaited with progress), delete (awaited), search, share link', async () => {
			const dsm = client();
			await dsm.createFolder('/docker', 'stacks');
			sim.writeFile('/docker/stacks/compose.yml', 'services: {}\n');
			await dsm.rename('/docker/stacks/compose.yml', 'docker-compose.yml');
			assert.ok(sim.readFile('/docker/stacks/docker-compose.yml'));
			const progress: TaskProgress[] = [];
			const copied = await dsm.copyMove(['/docker/stacks'], '/backups', {
				onProgress: (p) => progress.push(p),
			});
			assert.equal(copied.finished, true);
			assert.ok(progress.length >= 2 && progress[0].finished === false && progress.at(-1)?.finished === true);
			assert.equal(sim.readFile('/backups/stacks/docker-compose.yml')?.toString(), 'services: {}\n');
			await dsm.createFolder('/backups', 'old');
			await dsm.copyMove(['/backups/stacks'], '/backups/old', { move: true });
			assert.equal(sim.files.has('/backups/stacks'), false);
			assert.ok(sim.files.has('/backups/old/stacks/docker-compose.yml'));
			const found = await dsm.search('/backups', { pattern: '*.yml' });
			assert.deepEqual(
				found.files.map((file) => file.path),
				['/backups/old/stacks/docker-compose.yml'],
			);
			const link = await dsm.createShareLink('/backups/old/stacks/docker-compose.yml', { password: 'x' });
			assert.equal(link.links[0].has_password, true);
			const deleted = await dsm.delete(['/backups/old']);
			assert.equal(deleted.finished, true);
			assert.equal(sim.files.has('/backups/old'), false);
			assert.equal(sim.files.has('/backups/old/stacks/docker-compose.yml'), false);
		});

		it('a failing background task surfaces its DSM error', async () => {
			await assert.rejects(
				client().delete(['/media/missing']),
				/failed to delete the file\(s\)\/folder\(s\) \(DSM error 900\)/,
			);
		});

		it('cancelling while a status request is in flight still stops the task', async () => {
			const slow = await new DsmSimulator({ taskPolls: 1000 }).start();
			try {
				const controller = new AbortController();
				const dsm = client({ signal: controller.signal }, slow);
				await dsm.listShares();
				slow.responseDelayMs = 300;
				const waiting = dsm.copyMove(['/docker'], '/backups');
				const statusSeen = () =>
					slow.requestsFor('SYNO.FileStation.CopyMove').some((request) => request.method === 'status');
				while (!statusSeen()) await new Promise((resolve) => setTimeout(resolve, 10));
				controller.abort();
				await assert.rejects(waiting, /cancelled while waiting for SYNO.FileStation.CopyMove/);
				assert.equal(slow.requestsFor('SYNO.FileStation.CopyMove').at(-1)?.method, 'stop');
			} finally {
				await slow.close();
			}
		});

		it('cancelling while a task runs stops it and says so', async () => {
			const slow = await new DsmSimulator({ taskPolls: 1000 }).start();
			try {
				const controller = new AbortController();
				const dsm = client({ signal: controller.signal }, slow);
				const waiting = dsm.copyMove(['/docker'], '/backups');
				setTimeout(() => controller.abort(), 100);
				await assert.rejects(waiting, /cancelled while waiting for SYNO.FileStation.CopyMove/);
				assert.equal(
					slow.requestsFor('SYNO.FileStation.CopyMove').at(-1)?.method,
					'stop',
					'DSM was told to stop',
				);
				await dsm.logout();
				assert.equal(slow.sessions.size, 0, 'logout still reaches DSM after the cancel');
			} finally {
				await slow.close();
			}
		});
	});

	describe('Download Station', () => {
		it('creates a task from a URL that progresses to finished and lands in the destination', async () => {
			sim.downloadMs = 200;
			const dsm = client();
			const created = await dsm.createDownload({
				uri: 'https://example.com/isos/debian.iso',
				destination: '/downloads',
			});
			assert.equal(created.length, 1);
			assert.equal(created[0].title, 'debian.iso');
			assert.notEqual(created[0].status, 'finished');
			await new Promise((resolve) => setTimeout(resolve, 300));
			const [task] = await dsm.getDownloads([created[0].id]);
			assert.equal(task.status, 'finished');
			assert.match(sim.readFile('/downloads/debian.iso')?.toString() ?? '', /example.com/);
		});

		it('creates from a .torrent file, pauses, resumes and deletes; unknown ids come back as errors in words', async () => {
			sim.downloadMs = 60000;
			const dsm = client();
			const torrent = Buffer.from('d4:infod6:lengthi10e4:name9:linux.img12:piece lengthi16384eee');
			const [task] = await dsm.createDownload({
				torrent: { name: 'linux.torrent', data: torrent },
				destination: 'downloads',
			});
			assert.equal(task.title, 'linux.img');
			assert.equal(task.type, 'bt');
			assert.deepEqual(await dsm.pauseDownloads([task.id]), [{ id: task.id, ok: true }]);
			assert.equal((await dsm.getDownloads([task.id]))[0].status, 'paused');
			await dsm.resumeDownloads([task.id]);
			assert.equal((await dsm.getDownloads([task.id]))[0].status, 'downloading');
			const results = await dsm.deleteDownloads([task.id, 'dbid_999']);
			assert.deepEqual(results[0], { id: task.id, ok: true });
			assert.equal(results[1].ok, false);
			assert.match(String(results[1].error), /invalid task id \(DSM error 404\)/);
		});

		const torrentFile = (name: string) => ({
			name: `${name}.torrent`,
			data: Buffer.from(`d4:infod6:lengthi10e4:name${name.length}:${name}12:piece lengthi16384eee`),
		});

		it('uploads a .torrent to SYNO.DownloadStation2.Task version 2 on DSM 7, never to the old API', async () => {
			const dsm = client();
			const from = sim.requests.length;
			const [task] = await dsm.createDownload({ torrent: torrentFile('dsm7.img'), destination: 'downloads' });
			assert.equal(task.title, 'dsm7.img');
			assert.equal(sim.downloads.get(task.id)?.destination, 'downloads');
			const upload = sim.requestsFor('SYNO.DownloadStation2.Task').at(-1);
			assert.deepEqual([upload?.path, upload?.method, upload?.version], ['/webapi/entry.cgi', 'create', '2']);
			assert.equal(
				sim.requests
					.slice(from)
					.some((request) => request.api === 'SYNO.DownloadStation.Task' && request.method === 'create'),
				false,
			);
			// Without a destination, DSM's default folder is used ("" in the DownloadStation2 form).
			const [defaulted] = await dsm.createDownload({ torrent: torrentFile('default.img') });
			assert.equal(defaulted.title, 'default.img');
		});

		it('the DSM 7 simulator refuses the old upload with 101, and a DownloadStation2 form missing a field', async () => {
			const dsm = client();
			const file = { field: 'torrent', name: 'x.torrent', data: torrentFile('x.img').data };
			const refused = (code: number) => (error: unknown) => {
				assert.ok(error instanceof SynologyApiError);
				assert.equal(error.code, code);
				return true;
			};
			await assert.rejects(
				dsm.call(
					'SYNO.DownloadStation.Task',
					'create',
					{ destination: 'downloads' },
					{ versions: [3, 3], file },
				),
				refused(101),
			);
			const form = { type: '"file"', file: ['torrent'], create_list: false, destination: '"downloads"' };
			const upload = async (params: Params) =>
				await dsm.call('SYNO.DownloadStation2.Task', 'create', params, { versions: [2, 2], file });
			await assert.rejects(upload({ ...form, create_list: undefined }), refused(101));
			await assert.rejects(upload({ ...form, type: 'file' }), refused(101));
			await assert.rejects(upload({ ...form, file: ['other'] }), refused(101));
			await assert.rejects(upload({ ...form, destination: '"nope"' }), refused(403));
			const created = await upload(form);
			assert.deepEqual(Object.keys(created).sort(), ['list_id', 'task_id']);
		});

		it('keeps the original multipart upload on a DSM 6 that announces no DownloadStation2', async () => {
			const dsm6 = await new DsmSimulator({ dsm6: true }).start();
			try {
				const [task] = await client({}, dsm6).createDownload({
					torrent: torrentFile('old.img'),
					destination: 'downloads',
				});
				assert.equal(task.title, 'old.img');
				const create = dsm6
					.requestsFor('SYNO.DownloadStation.Task')
					.find((request) => request.method === 'create');
				assert.deepEqual([create?.path, create?.version], ['/webapi/DownloadStation/task.cgi', '1']);
				assert.equal(dsm6.requestsFor('SYNO.DownloadStation2.Task').length, 0);
			} finally {
				await dsm6.close();
			}
		});

		it('refuses a destination that does not exist with 403 in words', async () => {
			await assert.rejects(
				client().createDownload({ uri: 'https://example.com/a', destination: 'nope' }),
				/the destination does not exist \(DSM error 403\)/,
			);
		});
	});

	describe('System, Hyper Backup, Snapshot Replication', () => {
		it('reads info, utilization, storage with SMART status and packages', async () => {
			const dsm = client();
			assert.equal((await dsm.systemInfo()).model, 'DS920+');
			assert.ok((await dsm.utilization()).cpu);
			const storage = await dsm.storage();
			assert.deepEqual(
				(storage.disks as Array<{ smart_status: string }>).map((disk) => disk.smart_status),
				['normal', 'warning'],
			);
			assert.ok((await dsm.packages()).packages.length >= 1);
		});

		it('lists backup tasks, starts one and reads its status', async () => {
			const dsm = client();
			const tasks = await dsm.backupTasks();
			assert.equal(tasks[0].name, 'Nightly to USB');
			await dsm.startBackup(1);
			assert.equal((await dsm.backupStatus(1)).status, 'backup');
			assert.equal((await dsm.backupStatus(1)).last_bkp_result, 'done');
		});

		it('creates and lists share snapshots', async () => {
			const dsm = client();
			const name = await dsm.createSnapshot('docker', { description: 'before upgrade', lock: true });
			assert.match(name, /^GMT\+00-\d{4}\.\d{2}\.\d{2}-\d{2}\.\d{2}\.\d{2}$/);
			const list = await dsm.listSnapshots('docker');
			assert.equal(list.total, 1);
			assert.deepEqual(list.snapshots[0], { time: name, desc: 'before upgrade', lock: true });
		});
	});

	after(async () => {
		for (const created of clients) await created.logout().catch(() => undefined);
	});
});
