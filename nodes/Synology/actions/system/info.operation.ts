import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SynologyClient } from '../../../../clients/synology';

export const description: INodeProperties[] = [];

export async function execute(
	this: IExecuteFunctions,
	_itemIndex: number,
	dsm: SynologyClient,
): Promise<IDataObject> {
	const info = await dsm.systemInfo();
	return {
		model: info.model,
		serial: info.serial,
		dsmVersion: info.version_string,
		ramMb: info.ram,
		temperatureC: info.temperature,
		temperatureWarning: info.temperature_warn,
		uptimeSeconds: info.uptime,
		raw: info as IDataObject,
	};
}
