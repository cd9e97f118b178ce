import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { SynologyClient } from '../../../clients/synology';
import { runPerItem } from '../../shared/per-item';
import { findOperation } from '../../shared/router';
import { synologyClient, toNodeError } from '../transport';
import type { OperationExecute } from './common';
import * as downloadStation from './downloadStation';
import * as fileStation from './fileStation';
import * as hyperBackup from './hyperBackup';
import * as snapshot from './snapshot';
import * as system from './system';

const operations: Record<string, Record<string, OperationExecute>> = {
	fileStation: {
		listShares: fileStation.listShares.execute,
		listFolder: fileStation.listFolder.execute,
		getInfo: fileStation.getInfo.execute,
		createFolder: fileStation.createFolder.execute,
		rename: fileStation.rename.execute,
		copyMove: fileStation.copyMove.execute,
		delete: fileStation.deleteOp.execute,
		upload: fileStation.upload.execute,
		download: fileStation.download.execute,
		search: fileStation.search.execute,
		createShareLink: fileStation.createShareLink.execute,
	},
	downloadStation: {
		list: downloadStation.list.execute,
		create: downloadStation.create.execute,
		get: downloadStation.get.execute,
		pause: downloadStation.pause.execute,
		resume: downloadStation.resume.execute,
		delete: downloadStation.deleteOp.execute,
	},
	system: {
		info: system.info.execute,
		utilization: system.utilization.execute,
		storage: system.storage.execute,
		packages: system.packages.execute,
	},
	hyperBackup: {
		list: hyperBackup.list.execute,
		status: hyperBackup.status.execute,
		start: hyperBackup.start.execute,
	},
	snapshot: {
		list: snapshot.list.execute,
		create: snapshot.create.execute,
	},
};

/** One DSM session for the whole execution: logged in on first use, logged out at the end. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	let dsm: SynologyClient | undefined;
	try {
		return await runPerItem(this, async (itemIndex) => {
			const execute = findOperation(this, operations, itemIndex);
			dsm ??= await synologyClient(this);
			try {
				return await execute.call(this, itemIndex, dsm);
			} catch (error) {
				throw toNodeError(this.getNode(), error, itemIndex);
			}
		});
	} finally {
		// Best effort: a session that cannot be closed ends by itself after DSM's idle timeout.
		await dsm
			?.logout()
			.catch((error: unknown) => this.logger.debug(`Synology logout failed: ${String(error)}`));
	}
}
