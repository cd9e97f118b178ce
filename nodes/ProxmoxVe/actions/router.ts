import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runPerItem } from '../../shared/per-item';
import { findOperation } from '../../shared/router';
import * as backup from './backup';
import * as cluster from './cluster';
import * as container from './container';
import * as node from './node';
import * as snapshot from './snapshot';
import * as vm from './vm';

type OperationExecute = (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject | IDataObject[]>;

const operations: Record<string, Record<string, OperationExecute>> = {
	cluster: {
		getNextId: cluster.getNextId.execute,
		getResources: cluster.getResources.execute,
		getStatus: cluster.getStatus.execute,
		getTaskLog: cluster.getTaskLog.execute,
		getTaskStatus: cluster.getTaskStatus.execute,
		listTasks: cluster.listTasks.execute,
		waitForTask: cluster.waitForTask.execute,
	},
	container: {
		clone: container.clone.execute,
		convertToTemplate: container.convertToTemplate.execute,
		create: container.create.execute,
		delete: container.deleteContainer.execute,
		get: container.get.execute,
		getIp: container.getIp.execute,
		list: container.list.execute,
		migrate: container.migrate.execute,
		reboot: container.power.rebootExecute,
		resume: container.power.resumeExecute,
		shutdown: container.power.shutdownExecute,
		start: container.power.startExecute,
		stop: container.power.stopExecute,
		suspend: container.power.suspendExecute,
		updateConfig: container.updateConfig.execute,
	},
	node: {
		getStatus: node.getStatus.execute,
		list: node.list.execute,
		listStorage: node.listStorage.execute,
		listStorageContent: node.listStorageContent.execute,
	},
	vm: {
		clone: vm.clone.execute,
		convertToTemplate: vm.convertToTemplate.execute,
		create: vm.create.execute,
		delete: vm.deleteVm.execute,
		ensureFromTemplate: vm.ensureFromTemplate.execute,
		migrate: vm.migrate.execute,
		resume: vm.power.resumeExecute,
		suspend: vm.power.suspendExecute,
		get: vm.get.execute,
		list: vm.list.execute,
		reboot: vm.power.rebootExecute,
		setCloudInit: vm.setCloudInit.execute,
		shutdown: vm.power.shutdownExecute,
		start: vm.power.startExecute,
		stop: vm.power.stopExecute,
		updateConfig: vm.updateConfig.execute,
		waitForIp: vm.waitForIp.execute,
	},
	snapshot: {
		create: snapshot.create.execute,
		delete: snapshot.deleteSnapshot.execute,
		list: snapshot.list.execute,
		rollback: snapshot.rollback.execute,
	},
	backup: {
		list: backup.list.execute,
		restore: backup.restore.execute,
		run: backup.run.execute,
	},
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runPerItem(this, async (itemIndex) => {
		const execute = findOperation(this, operations, itemIndex);
		return await execute.call(this, itemIndex);
	});
}
