import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dockerClient } from '../../transport';
import { containerLocator, locatorValue, show } from '../common';

const showFor = show('container', 'top');

export const description: INodeProperties[] = [
	containerLocator(showFor),
	{
		displayName: 'Ps Arguments',
		name: 'psArgs',
		type: 'string',
		default: '',
		placeholder: 'e.g. aux',
		description: 'Arguments for ps on the host (default -ef)',
		displayOptions: { show: showFor },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = locatorValue(this, 'containerId', itemIndex, 'container');
	const psArgs = (this.getNodeParameter('psArgs', itemIndex, '') as string).trim() || undefined;
	return { container: id, ...(await (await dockerClient(this, itemIndex)).top(id, psArgs)) };
}
