import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SynologyClient } from '../../../../clients/synology';

export const description: INodeProperties[] = [];

/** SYNO.Core.System.Utilization get: CPU %, memory %, network bytes/s and disk activity. */
export async function execute(
	this: IExecuteFunctions,
	_itemIndex: number,
	dsm: SynologyClient,
): Promise<IDataObject> {
	const util = await dsm.utilization();
	const cpu = util.cpu ?? {};
	const total = util.network?.find((entry) => entry.device === 'total');
	return {
		cpuPercent: (cpu.user_load ?? 0) + (cpu.system_load ?? 0) + (cpu.other_load ?? 0),
		cpu: {
			user: cpu.user_load,
			system: cpu.system_load,
			other: cpu.other_load,
			load1: cpu['1min_load'],
			load5: cpu['5min_load'],
			load15: cpu['15min_load'],
		},
		memoryPercent: util.memory?.real_usage ?? null,
		memory: { totalKb: util.memory?.total_real, availableKb: util.memory?.avail_real },
		network: {
			rxBytesPerSecond: total?.rx ?? null,
			txBytesPerSecond: total?.tx ?? null,
			interfaces: (util.network ?? []) as unknown as IDataObject[],
		},
		disks: (util.disk?.disk ?? []) as IDataObject[],
		diskTotal: (util.disk?.total ?? {}) as IDataObject,
	};
}
