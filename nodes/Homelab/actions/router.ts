import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runPerItem } from '../../shared/per-item';
import { findOperation } from '../../shared/router';
import * as dnsRecord from './dnsRecord';
import * as endpoint from './endpoint';
import * as route from './route';
import * as service from './service';

type OperationExecute = (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject | IDataObject[]>;

const operations: Record<string, Record<string, OperationExecute>> = {
	endpoint: {
		checkHttp: endpoint.checkHttp.execute,
		checkTcp: endpoint.checkTcp.execute,
	},
	route: {
		list: route.list.execute,
		upsert: route.upsert.execute,
		remove: route.remove.execute,
		verify: route.verify.execute,
	},
	dnsRecord: {
		list: dnsRecord.list.execute,
		upsert: dnsRecord.upsert.execute,
		delete: dnsRecord.deleteRecord.execute,
	},
	service: {
		expose: service.expose.execute,
		unexpose: service.unexpose.execute,
	},
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runPerItem(this, async (itemIndex) => {
		const execute = findOperation(this, operations, itemIndex);
		return await execute.call(this, itemIndex);
	});
}
