import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { totp } from '../../clients/synology';
import { waitFor } from '../harness/net';
import { outputOf, type N8n, type WorkflowJson } from '../harness/n8n';
import { REPO_ROOT } from '../harness/runtime';
import { sharedN8n } from '../helpers/shared-n8n';
import { itemsNode, linearWorkflow } from '../helpers/workflows';
import { DsmSimulator } from '../simulators/synology/server';

const SECRET = 'KRUGS4ZANFZSAYJAONSWG4TFOQQGWZLZ';

describe('Synology DSM node and trigger inside real n8n (against the DSM simulator)', () => {
	let n8n: N8n;
	let sim: DsmSimulator;
	let credentialId: string;
	const credentialData = () => ({
		url: sim.url,
		account: sim.account,
		password: sim.password,
		otpSecret: SECRET,
		otpCode: '',
		deviceName: 'n8n e2e',
		allowUnauthorizedCerts: false,
	});
	const credentials = () => ({ synologyDsmApi: { id: credentialId, name: 'Blackbox' } });
	const synology = (
		name: string,
		parameters: Record<string, unknown>,
		extra: Record<string, unknown> = {},
	) => ({
		name,
		type: 'n8n-nodes-homelab.synology',
		typeVersion: 1,
		parameters,
		credentials: credentials(),
		...extra,
	});

	before(async () => {
		n8n = await sharedN8n();
		sim = await new DsmSimulator({ otpSecret: SECRET, downloadMs: 10 * 60 * 1000 }).start();
		credentialId = await n8n.createCredential('Blackbox', 'synologyDsmApi', credentialData());
	});
	after(async () => {
		await sim.close();
	});

	it('the credential test logs in and out; a wrong password is explained in words', async () => {
		const test = async (data: Record<string, unknown>) =>
			(
				await n8n.rest<{ data: { status: string; message: string } }>('POST', '/credentials/test', {
					credentials: { id: credentialId, name: 'Blackbox', type: 'synologyDsmApi', data },
				})
			).data;
		assert.deepEqual(await test(credentialData()), {
			status: 'OK',
			message: 'Logged in to DSM and out again',
		});
		const wrong = await test({ ...credentialData(), password: 'wrong' });
		assert.equal(wrong.status, 'Error');
		assert.match(wrong.message, /no such account or incorrect password \(DSM error 400\)/);
		const before = sim.sessions.size;
		assert.equal(before, 0, 'the test logged out');
	});

	it('upload → list → download round trip returns the same bytes', async () => {
		const bytes = Buffer.from(Array.from({ length: 150000 }, (_, i) => (i * 31 + (i >> 8)) % 256));
		const workflow = linearWorkflow('synology: round trip', [
			{
				name: 'Make File',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				parameters: {
					jsCode: `const size = 150000; const bytes = new Uint8Array(size);
for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 8)) % 256;
return [{ json: {}, binary: { data: { data: Buffer.from(bytes).toString('base64'), mimeType: 'application/octet-stream', fileName: 'blob.bin' } } }];`,
				},
			},
			synology('Upload', {
				resource: 'fileStation',
				operation: 'upload',
				folder: { __rl: true, mode: 'path', value: '/media/n8n-inbox' },
				binaryPropertyName: 'data',
				fileName: '',
				overwrite: false,
				createParents: true,
			}),
			synology('List', {
				resource: 'fileStation',
				operation: 'listFolder',
				folder: { __rl: true, mode: 'path', value: '/media/n8n-inbox' },
				returnAll: true,
				listOptions: { additional: ['size'], sortBy: 'name' },
			}),
			synology('Download', {
				resource: 'fileStation',
				operation: 'download',
				path: '={{ $json.path }}',
				binaryPropertyName: 'data',
			}),
			{
				name: 'To Base64',
				type: 'n8n-nodes-base.extractFromFile',
				typeVersion: 1,
				parameters: { operation: 'binaryToPropery', binaryPropertyName: 'data', destinationKey: 'base64' },
			},
		]);
		const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow));
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assert.deepEqual(outputOf(result, 'Upload')[0].json, {
			path: '/media/n8n-inbox/blob.bin',
			size: bytes.length,
			skipped: false,
		});
		assert.ok(sim.readFile('/media/n8n-inbox/blob.bin')?.equals(bytes), 'the NAS holds the uploaded bytes');
		const listed = outputOf(result, 'List').map((item) => item.json);
		assert.deepEqual(
			listed.map((entry) => [entry.path, (entry.additional as { size: number }).size]),
			[['/media/n8n-inbox/blob.bin', bytes.length]],
		);
		assert.equal(outputOf(result, 'Download')[0].json.size, bytes.length);
		const downloaded = Buffer.from(String(outputOf(result, 'To Base64')[0].json.base64), 'base64');
		assert.ok(downloaded.equals(bytes), 'downloaded bytes equal the uploaded ones');
		// The 2-step code was needed once; the device id DSM returned made every later login code-free.
		assert.equal(sim.otpLogins, 1);
		assert.ok(sim.logins >= 2);
		assert.equal(sim.sessions.size, 0, 'every execution logged out');
	});

	it('refuses path traversal before any request and names the path', async () => {
		const count = sim.requests.length;
		const workflow = linearWorkflow('synology: traversal', [
			itemsNode('Paths', [{ path: '/media/../docker/secrets.env' }]),
			synology('Get Info', { resource: 'fileStation', operation: 'getInfo', path: '={{ $json.path }}' }),
		]);
		const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow));
		assert.equal(result.status, 'error');
		assert.equal(
			result.error?.message,
			'path "/media/../docker/secrets.env" contains a "." or ".." segment; path traversal is refused',
		);
		assert.equal(sim.requests.length, count, 'no request reached DSM');
	});

	it('a DSM error reaches the user in words, with continue-on-fail per item', async () => {
		const workflow = linearWorkflow('synology: errors', [
			itemsNode('Paths', [{ path: '/media/n8n-inbox/blob.bin' }, { path: '/media/missing.txt' }]),
			synology(
				'Delete',
				{ resource: 'fileStation', operation: 'delete', path: '={{ $json.path }}' },
				{ onError: 'continueRegularOutput' },
			),
		]);
		const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow));
		assert.equal(result.status, 'success');
		const items = outputOf(result, 'Delete');
		assert.equal(items[0].json.deleted, true);
		assert.equal(items[0].json.finished, true);
		assert.match(
			String(items[1].json.error),
			/failed to delete the file\(s\)\/folder\(s\) \(DSM error 900\)/,
		);
		assert.deepEqual(
			items.map((item) => item.pairedItem),
			[{ item: 0 }, { item: 1 }],
		);
		assert.equal(sim.files.has('/media/n8n-inbox/blob.bin'), false);
	});

	it('reads storage and disk health', async () => {
		const workflow = linearWorkflow('synology: storage', [
			synology('Storage', { resource: 'system', operation: 'storage' }),
		]);
		const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow));
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const storage = outputOf(result, 'Storage')[0].json as {
			healthy: boolean;
			disks: Array<{ name: string; healthy: boolean; problems: string[] }>;
		};
		assert.equal(storage.healthy, false);
		assert.deepEqual(
			storage.disks.map((disk) => [disk.name, disk.healthy, disk.problems]),
			[
				['Drive 1', true, []],
				['Drive 2', false, ['SMART warning', 'bad sectors above the threshold']],
			],
		);
	});

	it('a download task created in n8n finishes and the trigger fires exactly once for it', async () => {
		// A task that had finished before the trigger was activated must not be emitted.
		const createRun = async (url: string) => {
			const created = await n8n.runWorkflow(
				await n8n.importWorkflow(
					linearWorkflow(`synology: create ${url}`, [
						synology('Create Download', {
							resource: 'downloadStation',
							operation: 'create',
							source: 'url',
							url,
							destination: { __rl: true, mode: 'path', value: '/downloads' },
						}),
					]),
				),
			);
			assert.equal(created.status, 'success', JSON.stringify(created.error));
			return outputOf(created, 'Create Download')[0].json as { id: string; status: string; title: string };
		};
		const old = await createRun('https://mirror.lab/old.iso');
		sim.finishDownload(old.id);
		const task = await createRun('https://mirror.lab/debian-13.iso');
		assert.equal(task.title, 'debian-13.iso');
		assert.equal(task.status, 'downloading');

		const trigger: WorkflowJson = {
			name: 'synology: download finished',
			nodes: [
				{
					name: 'Download Finished',
					type: 'n8n-nodes-homelab.synologyDownloadFinishedTrigger',
					typeVersion: 1,
					parameters: { pollTimes: { item: [{ mode: 'everyHour' }] }, options: {} },
					credentials: credentials(),
					position: [0, 0],
				},
			],
			connections: {},
		};
		const workflowId = await n8n.importWorkflow(trigger);
		type State = { seen?: string[]; initialized?: boolean };
		const pollState = async () =>
			(await n8n.api<{ staticData: Record<string, State> | null }>('GET', `/workflows/${workflowId}`))
				.staticData?.['node:Download Finished'];
		// Activation runs one poll right away (in the background of the API call); it ends with a logout.
		const activateAndPoll = async () => {
			const logouts = sim.requestsFor('SYNO.API.Auth').filter((r) => r.method === 'logout').length;
			await n8n.activate(workflowId);
			await waitFor('the activation poll', () =>
				sim.requestsFor('SYNO.API.Auth').filter((r) => r.method === 'logout').length > logouts
					? true
					: undefined,
			);
		};
		// The first poll records the finished old task in the workflow's static data and emits nothing.
		await activateAndPoll();
		const seeded = await waitFor('the poll state to be saved', async () => {
			const state = await pollState();
			return state?.initialized ? state : undefined;
		});
		assert.deepEqual(seeded.seen, [old.id]);
		await n8n.deactivate(workflowId);
		assert.equal((await n8n.executions(workflowId)).length, 0);

		sim.finishDownload(task.id);
		// Re-activating polls again (n8n's minimum poll interval is a minute; this is the same poll, sooner).
		await activateAndPoll();
		const [execution] = await waitFor(
			'the trigger execution',
			async () => {
				const list = await n8n.executions(workflowId);
				return list.length > 0 && list[0].status !== 'running' && list[0].status !== 'new' ? list : undefined;
			},
			{ timeoutMs: 30000, intervalMs: 200 },
		);
		assert.equal(execution.status, 'success', JSON.stringify(execution.error));
		const emitted = outputOf(execution, 'Download Finished').map((item) => item.json);
		assert.equal(emitted.length, 1);
		assert.equal(emitted[0].id, task.id);
		assert.equal(emitted[0].status, 'finished');
		assert.equal(emitted[0].progress, 100);
		assert.equal(emitted[0].destination, 'downloads');
		await waitFor('the emitted task to be recorded', async () =>
			(await pollState())?.seen?.includes(task.id) ? true : undefined,
		);
		await n8n.deactivate(workflowId);

		// Polling again finds the same finished tasks and emits nothing more.
		await activateAndPoll();
		await new Promise((resolve) => setTimeout(resolve, 1500));
		await n8n.deactivate(workflowId);
		assert.equal((await n8n.executions(workflowId)).length, 1, 'the task was emitted exactly once');
		assert.match(sim.readFile('/downloads/debian-13.iso')?.toString() ?? '', /mirror\.lab/);
	});

	it('workflows/synology-download-finished.json moves a finished download and shares it', async () => {
		const workflow = JSON.parse(
			readFileSync(path.join(REPO_ROOT, 'workflows/synology-download-finished.json'), 'utf8'),
		) as WorkflowJson;
		for (const node of workflow.nodes) node.credentials = credentials();
		sim.mkdir('/media/inbox');
		// "Fetch test event" (a manual run) hands over the most recent finished task.
		const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow), 'Download finished');
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assert.equal(outputOf(result, 'Download finished')[0].json.title, 'debian-13.iso');
		assert.equal(outputOf(result, 'Move into media inbox')[0].json.finished, true);
		assert.equal(sim.files.has('/downloads/debian-13.iso'), false);
		assert.match(sim.readFile('/media/inbox/debian-13.iso')?.toString() ?? '', /mirror\.lab/);
		assert.match(String(outputOf(result, 'Share link for the family')[0].json.url), /\/sharing\//);
	});

	it('the dropdowns browse shares, folders and download tasks', async () => {
		const search = async (methodName: string, filter = '') =>
			(
				await n8n.rest<{ data: { results: Array<{ name: string; value: string }> } }>(
					'POST',
					'/dynamic-node-parameters/resource-locator-results',
					{
						path: 'parameters.folder',
						methodName,
						filter,
						nodeTypeAndVersion: { name: 'n8n-nodes-homelab.synology', version: 1 },
						currentNodeParameters: { resource: 'fileStation', operation: 'listFolder' },
						credentials: credentials(),
					},
				)
			).data.results;
		assert.deepEqual(
			(await search('searchShares')).map((entry) => entry.value),
			['backups', 'docker', 'downloads', 'media'],
		);
		sim.mkdir('/media/movies');
		sim.mkdir('/media/music');
		sim.writeFile('/media/monkey.txt', 'not a folder');
		assert.deepEqual(
			(await search('searchFolders', '/media/mo')).map((entry) => entry.value),
			['/media/movies'],
		);
		const tasks = await search('searchDownloadTasks', 'debian');
		assert.equal(tasks.length, 1);
		assert.match(tasks[0].name, /^debian-13\.iso \((downloading|finished)\)$/);
	});

	it('stopping the execution during a long copy stops the DSM task and logs out', async () => {
		sim.taskPolls = 1_000_000;
		try {
			const workflowId = await n8n.importWorkflow(
				linearWorkflow('synology: cancel', [
					synology('Copy', {
						resource: 'fileStation',
						operation: 'copyMove',
						path: '/docker',
						destination: { __rl: true, mode: 'path', value: '/backups' },
						mode: 'copy',
						conflict: 'skip',
					}),
				]),
			);
			const mark = sim.requests.length;
			const started = await n8n.rest<{ data: { executionId: string } }>(
				'POST',
				`/workflows/${workflowId}/run`,
				{
					triggerToStartFrom: { name: 'Manual Trigger' },
				},
			);
			const executionId = started.data.executionId;
			await waitFor('the copy to be polled', () =>
				sim.requests.slice(mark).filter((r) => r.api === 'SYNO.FileStation.CopyMove' && r.method === 'status')
					.length >= 2
					? true
					: undefined,
			);
			await n8n.rest('POST', `/executions/${executionId}/stop`);
			const result = await n8n.waitForExecution(executionId, 30000);
			assert.notEqual(result.status, 'success');
			await waitFor('DSM to be told to stop', () =>
				sim.requestsFor('SYNO.FileStation.CopyMove').at(-1)?.method === 'stop' ? true : undefined,
			);
			await waitFor('the session to be closed', () => (sim.sessions.size === 0 ? true : undefined));
		} finally {
			sim.taskPolls = 2;
		}
	});

	it('System, Hyper Backup, Snapshot Replication and a .torrent download run from their parameters', async () => {
		const once = { executeOnce: true };
		const workflow = linearWorkflow('synology: other resources', [
			synology('Info', { resource: 'system', operation: 'info' }),
			synology('Utilization', { resource: 'system', operation: 'utilization' }, once),
			synology('Packages', { resource: 'system', operation: 'packages' }, once),
			synology('Start Backup', { resource: 'hyperBackup', operation: 'start', backupTaskId: 2 }, once),
			synology('Backup Status', { resource: 'hyperBackup', operation: 'status', backupTaskId: 2 }, once),
			synology(
				'Snapshot',
				{
					resource: 'snapshot',
					operation: 'create',
					share: { __rl: true, mode: 'list', value: 'media' },
					snapshotDescription: 'before cleanup',
					lock: true,
				},
				once,
			),
			synology(
				'Snapshots',
				{ resource: 'snapshot', operation: 'list', share: { __rl: true, mode: 'name', value: 'media' } },
				once,
			),
			{
				name: 'Torrent File',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				executeOnce: true,
				parameters: {
					jsCode: `const torrent = 'd4:infod6:lengthi10e4:name10:ubuntu.img12:piece lengthi16384eee';
return [{ json: {}, binary: { data: { data: Buffer.from(torrent).toString('base64'), mimeType: 'application/x-bittorrent', fileName: 'ubuntu.torrent' } } }];`,
				},
			},
			synology('Add Torrent', {
				resource: 'downloadStation',
				operation: 'create',
				source: 'torrent',
				binaryPropertyName: 'data',
				destination: { __rl: true, mode: 'list', value: '/downloads' },
			}),
			synology('Pause', {
				resource: 'downloadStation',
				operation: 'pause',
				taskId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			}),
			synology('Get Task', {
				resource: 'downloadStation',
				operation: 'get',
				taskId: { __rl: true, mode: 'list', value: '={{ $json.id }}' },
			}),
			synology('Resume', {
				resource: 'downloadStation',
				operation: 'resume',
				taskId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			}),
			synology('Delete Task', {
				resource: 'downloadStation',
				operation: 'delete',
				taskId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			}),
			synology(
				'Delete Again',
				{
					resource: 'downloadStation',
					operation: 'delete',
					taskId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				},
				{ onError: 'continueRegularOutput' },
			),
		]);
		const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow));
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const one = (name: string) => outputOf(result, name)[0].json;
		assert.equal(one('Info').model, 'DS920+');
		assert.equal(one('Info').dsmVersion, 'DSM 7.2.2-72806 Update 3');
		assert.equal(one('Utilization').cpuPercent, 11);
		assert.equal(one('Utilization').memoryPercent, 28);
		assert.deepEqual(
			outputOf(result, 'Packages').map((item) => [item.json.id, item.json.running]),
			[
				['ContainerManager', true],
				['DownloadStation', true],
				['HyperBackup', true],
				['SnapshotReplication', false],
			],
		);
		assert.deepEqual(one('Start Backup'), { taskId: 2, started: true });
		assert.equal(one('Backup Status').running, true);
		assert.equal(one('Snapshot').share, 'media');
		assert.deepEqual(
			outputOf(result, 'Snapshots').map((item) => [item.json.time, item.json.desc, item.json.lock]),
			[[one('Snapshot').snapshot, 'before cleanup', true]],
		);
		const torrent = one('Add Torrent');
		assert.equal(torrent.title, 'ubuntu.img');
		assert.equal(torrent.type, 'bt');
		assert.equal(torrent.destination, 'downloads');
		assert.deepEqual(one('Pause'), { id: torrent.id, paused: true });
		assert.equal(one('Get Task').status, 'paused');
		assert.deepEqual(one('Resume'), { id: torrent.id, resumed: true });
		assert.deepEqual(one('Delete Task'), { id: torrent.id, deleted: true });
		assert.equal(sim.downloads.has(String(torrent.id)), false);
		assert.match(
			String(one('Delete Again').error),
			new RegExp(
				`Could not delete download task ${String(torrent.id)}: SYNO.DownloadStation.Task delete failed: invalid task id \\(DSM error 404\\)`,
			),
		);
	});

	it('loads the node, its tool variant and the trigger', async () => {
		const names = (await n8n.nodeTypes()).map((type) => type.name);
		for (const name of [
			'n8n-nodes-homelab.synology',
			'n8n-nodes-homelab.synologyTool',
			'n8n-nodes-homelab.synologyDownloadFinishedTrigger',
		]) {
			assert.ok(names.includes(name), name);
		}
		assert.equal(totp(SECRET).length, 6);
	});
});
