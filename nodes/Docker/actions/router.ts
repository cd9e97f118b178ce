import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { ReadOnlyError } from '../../../clients/docker';
import { runPerItem } from '../../shared/per-item';
import { findOperation } from '../../shared/router';
import { dockerClient, toNodeError } from '../transport';
import * as container from './container';
import * as image from './image';
import * as network from './network';
import * as stack from './stack';
import * as system from './system';
import * as volume from './volume';

type OperationExecute = (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject | IDataObject[]>;

const operations: Record<string, Record<string, OperationExecute>> = {
	container: {
		list: container.list.execute,
		inspect: container.inspect.execute,
		create: container.create.execute,
		start: container.start.execute,
		stop: container.stop.execute,
		restart: container.restart.execute,
		remove: container.remove.execute,
		logs: container.logs.execute,
		exec: container.exec.execute,
		stats: container.stats.execute,
		top: container.top.execute,
		wait: container.wait.execute,
	},
	image: {
		list: image.list.execute,
		inspect: image.inspect.execute,
		pull: image.pull.execute,
		remove: image.remove.execute,
		prune: image.prune.execute,
	},
	network: {
		list: network.list.execute,
		create: network.create.execute,
		remove: network.remove.execute,
		prune: network.prune.execute,
	},
	volume: {
		list: volume.list.execute,
		create: volume.create.execute,
		remove: volume.remove.execute,
		prune: volume.prune.execute,
	},
	system: {
		info: system.info.execute,
		version: system.version.execute,
		df: system.df.execute,
		prune: system.prune.execute,
	},
	stack: {
		list: stack.list.execute,
		deploy: stack.deploy.execute,
		pullAndRedeploy: stack.pullAndRedeploy.execute,
		stop: stack.stop.execute,
		down: stack.down.execute,
		status: stack.status.execute,
		logs: stack.logs.execute,
	},
};

/** Operations that change the host, refused before anything runs when the credential is read-only. */
export const MUTATING: Record<string, string[]> = {
	container: container.mutating,
	image: image.mutating,
	network: network.mutating,
	volume: volume.mutating,
	system: system.mutating,
	stack: stack.mutating,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runPerItem(this, async (itemIndex) => {
		const execute = findOperation(this, operations, itemIndex);
		const resource = this.getNodeParameter('resource', itemIndex);
		const operation = this.getNodeParameter('operation', itemIndex);
		try {
			if (MUTATING[resource]?.includes(operation)) {
				if ((await dockerClient(this, itemIndex)).readOnly)
					throw new ReadOnlyError(`${resource} ${operation}`);
			}
			return await execute.call(this, itemIndex);
		} catch (error) {
			throw toNodeError(this.getNode(), error, itemIndex);
		}
	});
}
