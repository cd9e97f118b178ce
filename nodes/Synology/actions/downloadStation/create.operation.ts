import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { summarizeDownloadTask, type SynologyClient } from '../../../../clients/synology';
import { folderLocator, locatorValue } from '../common';

const show = { resource: ['downloadStation'], operation: ['create'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		default: 'url',
		options: [
			{ name: 'URL or Magnet Link', value: 'url' },
			{ name: 'Torrent File (Binary)', value: 'torrent' },
		],
		displayOptions: { show },
	},
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://cdimage.debian.org/debian-cd/current/amd64/iso-cd/debian.iso',
		description: 'HTTP(S), FTP or magnet link to download',
		displayOptions: { show: { ...show, source: ['url'] } },
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field containing the .torrent file',
		displayOptions: { show: { ...show, source: ['torrent'] } },
	},
	folderLocator('destination', 'Destination Folder', show, 'Folder the download is saved to'),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	dsm: SynologyClient,
): Promise<IDataObject[]> {
	const destination = locatorValue(this, 'destination', itemIndex);
	const source = this.getNodeParameter('source', itemIndex) as string;
	let created;
	if (source === 'torrent') {
		const property = this.getNodeParameter('binaryPropertyName', itemIndex);
		const binary = this.helpers.assertBinaryData(itemIndex, property);
		const data = await this.helpers.getBinaryDataBuffer(itemIndex, property);
		created = await dsm.createDownload({
			torrent: { name: binary.fileName ?? 'download.torrent', data },
			destination,
		});
	} else {
		created = await dsm.createDownload({
			uri: this.getNodeParameter('url', itemIndex) as string,
			destination,
		});
	}
	return created.map(summarizeDownloadTask);
}
