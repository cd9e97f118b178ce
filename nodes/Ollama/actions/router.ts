import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runPerItem } from '../../shared/per-item';
import { findOperation } from '../../shared/router';
import * as embedding from './embedding';
import * as model from './model';
import * as text from './text';

type OperationExecute = (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject | IDataObject[]>;

const operations: Record<string, Record<string, OperationExecute>> = {
	text: { chat: text.chat.execute, generate: text.generate.execute },
	embedding: { embed: embedding.embed.execute },
	model: {
		copy: model.copy.execute,
		delete: model.deleteModel.execute,
		list: model.list.execute,
		pull: model.pull.execute,
		running: model.running.execute,
		show: model.show.execute,
	},
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runPerItem(this, async (itemIndex) => {
		const execute = findOperation(this, operations, itemIndex);
		return await execute.call(this, itemIndex);
	});
}
