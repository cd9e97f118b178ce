import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SynologyClient } from '../../../../clients/synology';
import { pathField } from '../common';

const show = { resource: ['fileStation'], operation: ['createShareLink'] };

export const description: INodeProperties[] = [
	pathField('path', 'Path', show, 'File or folder to share'),
	{
		displayName: 'Options',
		name: 'shareOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Password',
				name: 'password',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description: 'Password the recipient must enter',
			},
			{
				displayName: 'Expires On',
				name: 'expires',
				type: 'dateTime',
				default: '',
				description: 'Last day the link works',
			},
			{
				displayName: 'Available From',
				name: 'available',
				type: 'dateTime',
				default: '',
				description: 'First day the link works',
			},
		],
	},
];

/** File Station's Sharing API takes dates as YYYY-MM-DD (File Station guide 3.8, create). */
function day(value: string | undefined): string | undefined {
	if (!value) return undefined;
	const date = new Date(value);
	return Number.isNaN(date.getTime()) ? value : date.toISOString().slice(0, 10);
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	dsm: SynologyClient,
): Promise<IDataObject> {
	const path = this.getNodeParameter('path', itemIndex) as string;
	const options = this.getNodeParameter('shareOptions', itemIndex, {}) as {
		password?: string;
		expires?: string;
		available?: string;
	};
	const { links } = await dsm.createShareLink(path, {
		password: options.password,
		expires: day(options.expires),
		available: day(options.available),
	});
	return links[0] ?? {};
}
