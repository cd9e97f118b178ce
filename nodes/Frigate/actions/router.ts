import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runPerItem, type ItemResult } from '../../shared/per-item';
import { findOperation } from '../../shared/router';
import { releaseClient } from '../transport';
import * as camera from './camera';
import * as event from './event';
import * as exportResource from './export';
import * as media from './media';
import * as review from './review';
import * as system from './system';

type OperationExecute = (this: IExecuteFunctions, itemIndex: number) => Promise<ItemResult>;

const operations: Record<string, Record<string, OperationExecute>> = {
	event: {
		getMany: event.getMany.execute,
		get: event.get.execute,
		delete: event.delete.execute,
		setSubLabel: event.setSubLabel.execute,
		clearSubLabel: event.clearSubLabel.execute,
		setRetain: event.setRetain.execute,
		create: event.create.execute,
		end: event.end.execute,
	},
	media: {
		getSnapshot: media.getSnapshot.execute,
		getThumbnail: media.getThumbnail.execute,
		getClip: media.getClip.execute,
		getLatestFrame: media.getLatestFrame.execute,
	},
	review: { getMany: review.getMany.execute, markReviewed: review.markReviewed.execute },
	export: { create: exportResource.create.execute },
	system: { getStats: system.getStats, getConfig: system.getConfig },
	camera: { setFeature: camera.setFeature.execute },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	try {
		return await runPerItem(this, async (itemIndex) => {
			const execute = findOperation(this, operations, itemIndex);
			return await execute.call(this, itemIndex);
		});
	} finally {
		releaseClient.call(this);
	}
}
