import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { IDataObject, INode, IPollFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { SynologyApiError, SynologyClient, SynologyInputError } from '../../clients/synology';
import type { SynologyDownloadFinishedTrigger as TriggerClass } from '../../nodes/SynologyDownloadFinishedTrigger/SynologyDownloadFinishedTrigger.node';
import { deviceIdKey, deviceStore, toNodeError } from '../../nodes/Synology/transport';
import { REPO_ROOT } from '../harness/runtime';
import { DsmSimulator } from '../simulators/synology/server';

// "X.node" would resolve to a native addon, so the trigger's TypeScript file is loaded by its full name.
const load = createRequire(__filename);
const { SynologyDownloadFinishedTrigger } = load(
	path.join(REPO_ROOT, 'nodes/SynologyDownloadFinishedTrigger/SynologyDownloadFinishedTrigger.node.ts'),
) as { SynologyDownloadFinishedTrigger: typeof TriggerClass };

const node: INode = {
	id: '1',
	name: 'Synology',
	type: 'n8n-nodes-homelab.synology',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

describe('Synology node pieces', () => {
	it('keeps device ids in the process and in workflow static data under a hashed key', async () => {
		const staticData: IDataObject = {};
		const store = deviceStore(staticData);
		await store.set('https://nas.lab:5001|n8n', 'device-1');
		const saved = staticData.synologyDeviceIds as Record<string, string>;
		assert.deepEqual(Object.values(saved), ['device-1']);
		assert.ok(!JSON.stringify(saved).includes('nas.lab'), 'the key does not reveal the NAS or account');
		// Another workflow (other static data) in the same n8n finds it through the process cache...
		assert.equal(await deviceStore({}).get('https://nas.lab:5001|n8n'), 'device-1');
		// ...and after a restart (nothing in the process yet) the workflow's static data supplies it.
		const restored = deviceStore({
			synologyDeviceIds: { [deviceIdKey('https://other.lab:5001|n8n')]: 'device-2' },
		});
		assert.equal(await restored.get('https://other.lab:5001|n8n'), 'device-2');
		assert.equal(await deviceStore({}).get('https://other.lab:5001|n8n'), undefined);
	});

	it('turns client errors into n8n errors that keep the words and add a hint', () => {
		const auth = toNodeError(node, new SynologyApiError('SYNO.API.Auth', 'login', 403), 2);
		assert.ok(auth instanceof NodeApiError);
		assert.match(auth.message, /2-step verification code required/);
		assert.match(String(auth.description), /OTP secret/);
		assert.equal(auth.context.itemIndex, 2);
		const input = toNodeError(node, new SynologyInputError('path "/a/.." contains a "." or ".." segment'));
		assert.ok(input instanceof NodeOperationError);
		assert.equal(input.message, 'path "/a/.." contains a "." or ".." segment');
	});

	describe('Download Finished trigger poll', () => {
		let sim: DsmSimulator;
		before(async () => {
			sim = await new DsmSimulator({ downloadMs: 60000 }).start();
		});
		after(async () => await sim.close());

		const context = (state: IDataObject, options: IDataObject = {}, mode = 'trigger') =>
			({
				getNodeParameter: () => options,
				getWorkflowStaticData: (type: string) => (type === 'node' ? state : {}),
				getCredentials: async () => ({ url: sim.url, account: sim.account, password: sim.password }),
				getMode: () => mode,
				getNode: () => node,
			}) as unknown as IPollFunctions;
		const poll = async (ctx: IPollFunctions) =>
			(await new SynologyDownloadFinishedTrigger().poll.call(ctx))?.[0].map((item) => item.json.title) ?? [];

		it('emits each finished task once, honours the destination filter, and leaves state alone when manual', async () => {
			sim.mkdir('/downloads/movies');
			sim.writeFile('/downloads/keep.txt', '');
			const create = async (uri: string, destination: string) => {
				const before = new Set(sim.downloads.keys());
				const dsm = new SynologyClient({ url: sim.url, account: sim.account, password: sim.password });
				await dsm.createDownload({ uri, destination });
				await dsm.logout();
				return [...sim.downloads.keys()].find((id) => !before.has(id)) as string;
			};
			const early = await create('https://mirror.lab/early.iso', 'downloads');
			sim.finishDownload(early);
			const state: IDataObject = {};
			const options = { destination: 'downloads/movies' };
			assert.deepEqual(await poll(context(state, options)), [], 'first poll only records');
			const movie = await create('https://mirror.lab/movie.mkv', 'downloads/movies');
			const other = await create('https://mirror.lab/other.iso', 'downloads');
			assert.deepEqual(await poll(context(state, options)), []);
			sim.finishDownload(movie);
			sim.finishDownload(other);
			const manualState = { ...state };
			assert.deepEqual(await poll(context(manualState, options, 'manual')), ['movie.mkv']);
			assert.deepEqual(manualState, state, 'a manual test poll does not mark tasks as emitted');
			assert.deepEqual(await poll(context(state, options)), ['movie.mkv'], 'other.iso is outside the filter');
			assert.deepEqual(await poll(context(state, options)), [], 'emitted once');
			// Without the filter and with "emit existing" a fresh state emits everything finished.
			assert.deepEqual((await poll(context({}, { emitExisting: true }))).sort(), [
				'early.iso',
				'movie.mkv',
				'other.iso',
			]);
		});
	});
});
