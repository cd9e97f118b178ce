import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { waitFor } from '../harness/net';
import { outputOf, type ExecutionResult, type N8n, type WorkflowJson } from '../harness/n8n';
import { REPO_ROOT } from '../harness/runtime';
import { inboxMessages } from '../helpers/mail';
import { sharedN8n } from '../helpers/shared-n8n';
import { startMail, type MailService, type MailUser } from '../services/mail';
import { JellyfinSimulator } from '../simulators/jellyfin/server';
import { DsmSimulator } from '../simulators/synology/server';

const JELLYFIN_KEY = '4c1f0d8a2b7e4e0f9a6d3c5b8e1f2a7d';

interface FeedItem {
	title: string;
	guid: string;
	category: string;
	/** Direct link; sent as the item's <enclosure> when `enclosure` is set, else as its <link>. */
	url: string;
	enclosure?: boolean;
}

/** An RSS 2.0 feed of releases (RSS 2.0 specification: channel, item, guid, category, enclosure). */
class FeedServer {
	items: FeedItem[] = [];
	/** Status to answer with instead of the feed (a broken indexer). */
	failWith = 0;
	requests = 0;
	url = '';
	private server?: http.Server;

	async start(): Promise<this> {
		this.server = http.createServer((req, res) => {
			this.requests++;
			if (req.url !== '/releases.rss') return void res.writeHead(404).end();
			if (this.failWith) return void res.writeHead(this.failWith).end('indexer is down');
			const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
			const items = this.items
				.map(
					(item) => `<item><title>${escape(item.title)}</title>
<guid isPermaLink="false">${escape(item.guid)}</guid><category>${escape(item.category)}</category>
${item.enclosure ? `<link>https://indexer.lab/details/${item.guid}</link><enclosure url="${escape(item.url)}" length="1048576" type="video/x-matroska"/>` : `<link>${escape(item.url)}</link>`}
<pubDate>Sun, 22 Nov 2026 12:00:00 GMT</pubDate></item>`,
				)
				.join('\n');
			res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(
				`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Lab releases</title><link>https://indexer.lab/</link>
<description>Releases on the watchlist</description>
${items}
</channel></rss>`,
			);
		});
		await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/releases.rss`;
		return this;
	}

	async close(): Promise<void> {
		this.server?.closeAllConnections();
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
	}
}

interface Mail {
	subject: string;
	from: string;
	text: string;
}

/** Every message in a user's INBOX, read with IMAP from dovecot and parsed. */
async function inbox(mail: MailService, user: MailUser): Promise<Mail[]> {
	return (await inboxMessages(mail, user)).map((parsed) => ({
		subject: parsed.subject ?? '',
		from: parsed.from?.text ?? '',
		text: parsed.text ?? '',
	}));
}

const load = (file: string) =>
	JSON.parse(readFileSync(path.join(REPO_ROOT, 'workflows', file), 'utf8')) as WorkflowJson;

describe('workflows/media-acquisition.json and media-file-finished.json end to end (DSM + Jellyfin simulators, dovecot, real n8n)', () => {
	let n8n: N8n;
	let mail: MailService;
	let sim: DsmSimulator;
	let jellyfin: JellyfinSimulator;
	let feed: FeedServer;
	let alice: MailUser;
	const credentialIds: Record<string, string> = {};
	let acquisitionId: string;
	let finishedId: string;
	let finishedActive = false;

	/** Creates a credential under the fixed name the workflows refer to, replacing one a previous test file left. */
	const namedCredential = async (name: string, type: string, data: Record<string, unknown>) => {
		const existing = await n8n.rest<{ data: Array<{ id: string; name: string; type: string }> }>(
			'GET',
			'/credentials',
		);
		for (const credential of existing.data.filter((c) => c.name === name && c.type === type))
			await n8n.api('DELETE', `/credentials/${credential.id}`);
		credentialIds[type] = await n8n.createCredential(name, type, data);
	};

	/** Edits only the Settings node (endpoints and the mail address); the workflow's logic stays as shipped. */
	const withSettings = (workflow: WorkflowJson, values: Record<string, string>) => {
		const settings = workflow.nodes.find((node) => node.name === 'Settings');
		assert.ok(settings, `${workflow.name} has a Settings node`);
		const assignments = (
			settings.parameters.assignments as { assignments: Array<{ name: string; value: string }> }
		).assignments;
		for (const [name, value] of Object.entries(values)) {
			const assignment = assignments.find((entry) => entry.name === name);
			assert.ok(assignment, `Settings sets ${name}`);
			assignment.value = value;
		}
		return workflow;
	};

	const logouts = () => sim.requestsFor('SYNO.API.Auth').filter((r) => r.method === 'logout').length;

	/** Activating the trigger workflow polls once right away; n8n's shortest interval is a minute. */
	const pollFinished = async () => {
		const before = logouts();
		if (finishedActive) await n8n.deactivate(finishedId);
		await n8n.activate(finishedId);
		finishedActive = true;
		await waitFor('the Download Finished poll', () => (logouts() > before ? true : undefined));
	};

	const finishedExecutions = async (count: number): Promise<ExecutionResult[]> =>
		await waitFor(
			`${count} execution(s) of the file-finished workflow`,
			async () => {
				const list = await n8n.executions(finishedId);
				return list.length >= count && list.every((e) => !['new', 'running'].includes(e.status))
					? list
					: undefined;
			},
			{ timeoutMs: 30000, intervalMs: 250 },
		);

	const runAcquisition = async () => {
		const result = await n8n.runWorkflow(acquisitionId, 'Every 30 minutes');
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		return result;
	};

	const waitForMail = async (subject: RegExp) =>
		await waitFor(
			`a mail "${subject.source}" in alice's INBOX`,
			async () => (await inbox(mail, alice)).find((m) => subject.test(m.subject)),
			{ timeoutMs: 20000, intervalMs: 250 },
		);

	before(async () => {
		n8n = await sharedN8n();
		mail = await startMail();
		alice = mail.users.alice;
		// Downloads finish only when the test says so (sim.finishDownload).
		sim = await new DsmSimulator({ downloadMs: 60 * 60 * 1000 }).start();
		for (const folder of ['/downloads/incomplete', '/media/tv', '/media/movies']) sim.mkdir(folder);
		jellyfin = await new JellyfinSimulator({ apiKeys: [JELLYFIN_KEY] }).start();
		feed = await new FeedServer().start();

		await namedCredential('Synology NAS', 'synologyDsmApi', {
			url: sim.url,
			account: sim.account,
			password: sim.password,
			otpSecret: '',
			otpCode: '',
			deviceName: 'n8n e2e',
			allowUnauthorizedCerts: false,
		});
		await namedCredential('Lab SMTP', 'homelabSmtpApi', {
			host: mail.host,
			port: mail.smtpPort,
			security: 'none',
			user: mail.users.bob.address,
			authType: 'password',
			password: mail.users.bob.password,
			from: `Homelab <${mail.users.bob.address}>`,
		});
		await namedCredential('Jellyfin API key', 'httpHeaderAuth', {
			name: 'Authorization',
			value: `MediaBrowser Token="${JELLYFIN_KEY}", Client="n8n"`,
		});

		acquisitionId = await n8n.importWorkflow(
			withSettings(load('media-acquisition.json'), { feedUrl: feed.url, notifyTo: alice.address }),
		);
		finishedId = await n8n.importWorkflow(
			withSettings(load('media-file-finished.json'), {
				jellyfinUrl: jellyfin.url,
				notifyTo: alice.address,
			}),
		);
	});

	after(async () => {
		if (finishedActive) await n8n.deactivate(finishedId).catch(() => undefined);
		// Leave no credentials under the shared names for the next test file.
		for (const id of Object.values(credentialIds))
			await n8n.api('DELETE', `/credentials/${id}`).catch(() => undefined);
		await feed?.close();
		await jellyfin?.close();
		await sim?.close();
		await mail?.stop();
	});

	it('the shipped files hold no secrets and the import binds their credentials by name', async () => {
		for (const [file, id] of [
			['media-acquisition.json', acquisitionId],
			['media-file-finished.json', finishedId],
		]) {
			const shipped = load(file);
			for (const node of shipped.nodes.filter((n) => n.credentials)) {
				for (const reference of Object.values(node.credentials as Record<string, unknown>))
					assert.deepEqual(Object.keys(reference as object).sort(), ['id', 'name'], `${file}: ${node.name}`);
			}
			const imported = await n8n.api<{
				nodes: Array<{ name: string; credentials?: Record<string, { id: string }> }>;
			}>('GET', `/workflows/${id}`);
			const bound = imported.nodes
				.filter((node) => node.credentials)
				.flatMap((node) =>
					Object.entries(node.credentials ?? {}).map(([type, ref]) => [node.name, type, ref.id]),
				);
			assert.ok(bound.length >= 3, `${file} references credentials`);
			for (const [node, type, boundId] of bound)
				assert.equal(boundId, credentialIds[type], `${file}: "${node}" is bound to the ${type} credential`);
		}
	});

	it('two scheduled runs: every feed item becomes a task once, the second run queues only the new one', async () => {
		await pollFinished(); // the trigger starts watching before anything downloads
		feed.items = [
			{
				title: 'Night Shift S01E02 1080p',
				guid: 'night-shift-s01e02',
				category: 'TV',
				url: 'https://cdn.indexer.lab/files/Night.Shift.S01E02.1080p.mkv',
				enclosure: true,
			},
			{
				title: 'Big Buck Bunny (2008) 1080p',
				guid: 'big-buck-bunny-2008',
				category: 'Movies',
				url: 'https://cdn.indexer.lab/files/Big.Buck.Bunny.2008.1080p.mkv',
			},
		];
		const first = await runAcquisition();
		assert.equal(outputOf(first, 'Only new releases').length, 2);
		assert.deepEqual(
			[...sim.downloads.values()].map((task) => [task.uri, task.destination]),
			[
				['https://cdn.indexer.lab/files/Night.Shift.S01E02.1080p.mkv', 'downloads/incomplete'],
				['https://cdn.indexer.lab/files/Big.Buck.Bunny.2008.1080p.mkv', 'downloads/incomplete'],
			],
		);

		feed.items.unshift({
			title: 'Night Shift S01E03 1080p',
			guid: 'night-shift-s01e03',
			category: 'TV',
			url: 'https://cdn.indexer.lab/files/Night.Shift.S01E03.1080p.mkv',
			enclosure: true,
		});
		const second = await runAcquisition();
		assert.equal(outputOf(second, 'Read release feed').length, 3, 'the feed lists all three');
		assert.deepEqual(
			outputOf(second, 'Only new releases').map((item) => item.json.guid),
			['night-shift-s01e03'],
		);
		assert.deepEqual(
			outputOf(second, 'Create download task').map((item) => [item.json.title, item.json.status]),
			[['Night.Shift.S01E03.1080p.mkv', 'downloading']],
		);
		assert.deepEqual(
			[...sim.downloads.values()].map((task) => task.title),
			['Night.Shift.S01E02.1080p.mkv', 'Big.Buck.Bunny.2008.1080p.mkv', 'Night.Shift.S01E03.1080p.mkv'],
			'Download Station holds exactly the three releases, each once',
		);
		assert.equal((await inbox(mail, alice)).length, 0, 'no error mail');
	});

	it('finished downloads move into media/tv or media/movies, Jellyfin scans once with the key, one mail', async () => {
		// Jellyfin answers 401 to a request without the key (what the error branch below relies on).
		const anonymous = await fetch(`${jellyfin.url}/Library/Refresh`, { method: 'POST' });
		assert.equal(anonymous.status, 401);
		assert.equal(jellyfin.refreshes.length, 0);

		assert.equal((await n8n.executions(finishedId)).length, 0, 'nothing had finished yet');
		for (const task of sim.downloads.values()) sim.finishDownload(task.id);
		assert.ok(sim.files.has('/downloads/incomplete/Night.Shift.S01E02.1080p.mkv'));
		await pollFinished();
		const [execution] = await finishedExecutions(1);
		assert.equal(execution.status, 'success', JSON.stringify(execution.error));
		assert.equal(outputOf(execution, 'Download finished').length, 3);

		for (const [file, folder] of [
			['Night.Shift.S01E02.1080p.mkv', '/media/tv'],
			['Night.Shift.S01E03.1080p.mkv', '/media/tv'],
			['Big.Buck.Bunny.2008.1080p.mkv', '/media/movies'],
		]) {
			assert.equal(sim.files.has(`/downloads/incomplete/${file}`), false, `${file} left the download folder`);
			assert.match(
				sim.readFile(`${folder}/${file}`)?.toString() ?? '',
				/cdn\.indexer\.lab/,
				`${file} in ${folder}`,
			);
		}
		assert.deepEqual(
			jellyfin.refreshes.map((refresh) => [refresh.via, refresh.token]),
			[['Authorization', JELLYFIN_KEY]],
			'one library scan for the batch, authorised with the API key',
		);
		const ready = await waitForMail(/^Ready to watch: /);
		for (const file of [
			'Night.Shift.S01E02.1080p.mkv',
			'Night.Shift.S01E03.1080p.mkv',
			'Big.Buck.Bunny.2008.1080p.mkv',
		])
			assert.ok(ready.subject.includes(file), `the subject names ${file}`);
		assert.match(ready.text, /- Big\.Buck\.Bunny\.2008\.1080p\.mkv → \/media\/movies/);
		assert.match(ready.text, /- Night\.Shift\.S01E03\.1080p\.mkv → \/media\/tv/);
		assert.match(ready.from, /bob@lab\.test/, 'sent with the Lab SMTP credential');
		assert.equal((await inbox(mail, alice)).length, 1, 'exactly one mail');
	});

	it('a revoked Jellyfin key leaves the file moved and mails what failed (error branch)', async () => {
		jellyfin.apiKeys.clear();
		jellyfin.apiKeys.add('a-new-key-the-credential-does-not-have');
		feed.items.push({
			title: 'Sintel (2010)',
			guid: 'sintel-2010',
			category: 'Movies',
			url: 'https://cdn.indexer.lab/files/Sintel.2010.mkv',
		});
		const run = await runAcquisition();
		assert.deepEqual(
			outputOf(run, 'Only new releases').map((item) => item.json.guid),
			['sintel-2010'],
		);
		const task = [...sim.downloads.values()].find((entry) => entry.title === 'Sintel.2010.mkv');
		assert.ok(task);
		sim.finishDownload(task.id);
		await pollFinished();
		const [execution] = await finishedExecutions(2);
		assert.equal(execution.status, 'success', JSON.stringify(execution.error));
		assert.deepEqual(
			outputOf(execution, 'Download finished').map((item) => item.json.title),
			['Sintel.2010.mkv'],
			'only the newly finished task',
		);
		assert.ok(sim.files.has('/media/movies/Sintel.2010.mkv'));
		assert.equal(jellyfin.requests.at(-1)?.status, 401);
		assert.equal(jellyfin.refreshes.length, 1, 'no scan without a valid key');
		assert.equal(outputOf(execution, 'Refresh Jellyfin library').length, 0, 'nothing on the success output');
		const failed = await waitForMail(/^Downloads moved, but Jellyfin did not start a library scan$/);
		assert.match(failed.text, /- Sintel\.2010\.mkv → \/media\/movies/);
		assert.match(failed.text, /Jellyfin answered: .*(401|[Aa]uthori[sz]ation failed)/);
		assert.match(failed.text, /Jellyfin API key/);
		assert.doesNotMatch(failed.text, /a-new-key|4c1f0d8a/, 'no key in the mail');
		assert.equal((await inbox(mail, alice)).filter((m) => m.subject.startsWith('Ready to watch')).length, 1);
	});

	it('a failed move (library folder missing) mails the file and keeps it in the download folder', async () => {
		sim.files.delete('/media/movies');
		for (const key of [...sim.files.keys()].filter((k) => k.startsWith('/media/movies/')))
			sim.files.delete(key);
		feed.items.push({
			title: 'Tears of Steel (2012)',
			guid: 'tears-of-steel-2012',
			category: 'Movies',
			url: 'https://cdn.indexer.lab/files/Tears.of.Steel.2012.mkv',
		});
		await runAcquisition();
		const task = [...sim.downloads.values()].find((entry) => entry.title === 'Tears.of.Steel.2012.mkv');
		assert.ok(task);
		sim.finishDownload(task.id);
		const refreshes = jellyfin.requests.length;
		await pollFinished();
		const [execution] = await finishedExecutions(3);
		assert.equal(execution.status, 'success', JSON.stringify(execution.error));
		assert.ok(sim.files.has('/downloads/incomplete/Tears.of.Steel.2012.mkv'), 'the file stays where it was');
		assert.deepEqual(outputOf(execution, 'Move into library'), [], 'nothing on the success output');
		assert.equal(outputOf(execution, 'Move into library', 1).length, 1, 'the failure on the error output');
		assert.equal(jellyfin.requests.length, refreshes, 'no scan when nothing moved');
		const failed = await waitForMail(/^Download finished but not moved: Tears\.of\.Steel\.2012\.mkv$/);
		assert.match(failed.text, /into \/media\/movies failed/);
		assert.match(failed.text, /\(DSM error 1002\)/);
		sim.mkdir('/media/movies');
	});

	it('an unreachable feed mails the error and queues nothing (error branch)', async () => {
		feed.failWith = 503;
		const tasks = sim.downloads.size;
		const result = await runAcquisition();
		assert.equal(outputOf(result, 'Read release feed').length, 0);
		assert.equal(outputOf(result, 'Read release feed', 1).length, 1);
		assert.equal(sim.downloads.size, tasks);
		const failed = await waitForMail(/^Media acquisition: the release feed could not be read$/);
		assert.ok(failed.text.includes(feed.url), 'the mail names the feed');
		assert.match(failed.text, /503/);
		feed.failWith = 0;
	});
	it('Download Station refusing a task (download folder gone) mails the release and its link', async () => {
		for (const key of [...sim.files.keys()].filter((k) => k.startsWith('/downloads/incomplete')))
			sim.files.delete(key);
		feed.items.push({
			title: 'Cosmos Laundromat (2015)',
			guid: 'cosmos-laundromat-2015',
			category: 'Movies',
			url: 'https://cdn.indexer.lab/files/Cosmos.Laundromat.2015.mkv',
			enclosure: true,
		});
		const tasks = sim.downloads.size;
		const result = await runAcquisition();
		assert.equal(outputOf(result, 'Create download task').length, 0);
		assert.equal(outputOf(result, 'Create download task', 1).length, 1);
		assert.equal(sim.downloads.size, tasks, 'no task was created');
		const failed = await waitForMail(/^Media acquisition: could not queue Cosmos Laundromat \(2015\)$/);
		assert.ok(failed.text.includes('https://cdn.indexer.lab/files/Cosmos.Laundromat.2015.mkv'));
		assert.match(failed.text, /\(DSM error 403\)/);
		assert.match(failed.text, /add it in Download Station by hand/);
	});
});
