import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	summarizeDownloadTask,
	type DownloadTask,
	type DownloadTaskAdditional,
} from '../../clients/synology';
import { credentialTest } from '../Synology/methods';
import { synologyClient, toNodeError } from '../Synology/transport';

interface PollState extends IDataObject {
	/** Ids of finished tasks already emitted (or present when the trigger was first activated). */
	seen?: string[];
	initialized?: boolean;
}

// Download Station (guide: SYNO.DownloadStation.Task list, status values) reports a finished BitTorrent task
// as "seeding" while it uploads, and as "finished" once it stops; both mean the data is complete.
const FINISHED = new Set(['finished', 'seeding']);

export class SynologyDownloadFinishedTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Synology Download Finished Trigger',
		name: 'synologyDownloadFinishedTrigger',
		icon: { light: 'file:synology.svg', dark: 'file:synology.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'Download Station',
		description: 'Starts the workflow once for each Download Station task that finishes',
		defaults: { name: 'Synology Download Finished' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'synologyDsmApi', required: true, testedBy: 'synologyDsmApiTest' }],
		properties: [
			{
				displayName:
					'Emits each finished task once. Tasks that had already finished when the workflow was first activated are not emitted, unless the option below says so.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Count Seeding as Finished',
						name: 'seedingIsFinished',
						type: 'boolean',
						default: true,
						description: 'Whether a torrent that is complete but still seeding counts as finished',
					},
					{
						displayName: 'Destination Starts With',
						name: 'destination',
						type: 'string',
						default: '',
						placeholder: 'downloads/movies',
						description: 'Only tasks saving into this folder (share-relative, as Download Station shows it)',
					},
					{
						displayName: 'Emit Tasks Finished Before Activation',
						name: 'emitExisting',
						type: 'boolean',
						default: false,
						description:
							'Whether the first poll also emits tasks that had finished before the workflow was activated',
					},
				],
			},
		],
	};

	methods = { credentialTest };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const options = this.getNodeParameter('options', {}) as {
			seedingIsFinished?: boolean;
			destination?: string;
			emitExisting?: boolean;
		};
		const state = this.getWorkflowStaticData('node') as PollState;
		const dsm = await synologyClient(this);
		let tasks: DownloadTask[];
		try {
			tasks = (await dsm.listDownloads({ additional: ['detail', 'transfer'] })).tasks;
		} catch (error) {
			throw toNodeError(this.getNode(), error);
		} finally {
			await dsm.logout().catch(() => undefined);
		}
		const wantedPrefix = (options.destination ?? '').replace(/^\/+|\/+$/g, '');
		const finished = tasks.filter((task) => {
			const done =
				task.status === 'finished' || (options.seedingIsFinished !== false && FINISHED.has(task.status));
			const destination = String(
				(task.additional as DownloadTaskAdditional | undefined)?.detail?.destination ?? '',
			);
			return (
				done && (!wantedPrefix || destination === wantedPrefix || destination.startsWith(`${wantedPrefix}/`))
			);
		});

		if (this.getMode() === 'manual') {
			// "Fetch Test Event": show the most recent finished task without touching what was emitted.
			const latest = finished.at(-1);
			return latest ? [[{ json: summarizeDownloadTask(latest) }]] : null;
		}

		// n8n 2.41 writes static data to its database only when a poll emits and after activation (which runs one
		// poll first), not after an empty poll. That is enough here: the first poll (the one that marks tasks
		// finished before activation as seen) is the activation's, and afterwards `seen` only gains ids that this
		// same poll emits; ids pruned in an empty poll are gone from DSM. If n8n dies between an emit and that
		// write, the restart's poll emits those tasks again (at least once, never lost).
		const seen = new Set(state.seen ?? []);
		const fresh =
			state.initialized || options.emitExisting ? finished.filter((task) => !seen.has(task.id)) : [];
		// Keep only ids DSM still lists, so the static data stays small; a task cleared from Download Station
		// cannot finish again.
		const listed = new Set(tasks.map((task) => task.id));
		state.seen = [...new Set([...seen, ...finished.map((task) => task.id)])].filter((id) => listed.has(id));
		state.initialized = true;
		if (fresh.length === 0) return null;
		return [fresh.map((task) => ({ json: summarizeDownloadTask(task) }))];
	}
}
