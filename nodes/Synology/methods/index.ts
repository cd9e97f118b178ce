import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	ILoadOptionsFunctions,
	INodeCredentialTestResult,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';

import type { SynologyClient } from '../../../clients/synology';
import { clientFromCredentials, synologyClient, toNodeError } from '../transport';

async function withClient<T>(
	ctx: ILoadOptionsFunctions,
	run: (dsm: SynologyClient) => Promise<T>,
): Promise<T> {
	const dsm = await synologyClient(ctx);
	try {
		return await run(dsm);
	} catch (error) {
		throw toNodeError(ctx.getNode(), error);
	} finally {
		await dsm.logout().catch(() => undefined);
	}
}

/** Shared folders whose name contains the filter. */
async function searchShares(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await withClient(this, async (dsm) => {
		const { shares } = await dsm.listShares({ limit: 0, sortBy: 'name' });
		const needle = (filter ?? '').toLowerCase();
		return {
			results: shares
				.filter((share) => share.name.toLowerCase().includes(needle))
				.map((share) => ({ name: share.name, value: share.name })),
		};
	});
}

/**
 * Folders by path: an empty filter lists the shared folders, "/media/" lists the folders in /media, and
 * "/media/mo" those in /media starting with "mo". The value is the full path.
 */
async function searchFolders(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await withClient(this, async (dsm) => {
		const typed = (filter ?? '').trim();
		const cut = typed.lastIndexOf('/');
		const parent = cut > 0 ? typed.slice(0, cut) : '';
		const prefix = (cut >= 0 ? typed.slice(cut + 1) : typed).toLowerCase();
		const entries = parent
			? (await dsm.listFolder(parent, { filetype: 'dir', limit: 0, sortBy: 'name' })).files
			: (await dsm.listShares({ limit: 0, sortBy: 'name' })).shares;
		return {
			results: entries
				.filter((entry) => entry.name.toLowerCase().startsWith(prefix))
				.map((entry) => ({ name: entry.path, value: entry.path })),
		};
	});
}

async function searchDownloadTasks(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await withClient(this, async (dsm) => {
		const { tasks } = await dsm.listDownloads();
		const needle = (filter ?? '').toLowerCase();
		return {
			results: tasks
				.filter((task) => task.title.toLowerCase().includes(needle) || task.id.includes(needle))
				.map((task) => ({ name: `${task.title} (${task.status})`, value: task.id })),
		};
	});
}

async function getBackupTasks(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await withClient(this, async (dsm) =>
		(await dsm.backupTasks()).map((task) => ({
			name: typeof task.name === 'string' ? task.name : `Task ${Number(task.task_id)}`,
			value: Number(task.task_id),
		})),
	);
}

/** Logs in (API discovery, device token or 2-step code) and out again: proves URL, account, password and OTP. */
async function synologyDsmApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	try {
		const dsm = clientFromCredentials(credential.data ?? {});
		await dsm.login();
		await dsm.logout();
		return { status: 'OK', message: 'Logged in to DSM and out again' };
	} catch (error) {
		return { status: 'Error', message: error instanceof Error ? error.message : String(error) };
	}
}

export const listSearch = { searchShares, searchFolders, searchDownloadTasks };
export const loadOptions = { getBackupTasks };
export const credentialTest = { synologyDsmApiTest };
