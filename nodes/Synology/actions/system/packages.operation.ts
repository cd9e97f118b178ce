import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SynologyClient } from '../../../../clients/synology';

export const description: INodeProperties[] = [];

export async function execute(
	this: IExecuteFunctions,
	_itemIndex: number,
	dsm: SynologyClient,
): Promise<IDataObject[]> {
	const { packages } = await dsm.packages();
	return packages.map((entry) => {
		const additional = (entry.additional ?? {}) as { status?: string; description?: string };
		return {
			id: entry.id,
			name: entry.name,
			version: entry.version,
			status: additional.status ?? null,
			running: additional.status === 'running',
			description: additional.description ?? null,
		};
	});
}
