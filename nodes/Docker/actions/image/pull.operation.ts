import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dockerClient, progressReporter } from '../../transport';
import { show } from '../common';

const showFor = show('image', 'pull');

export const description: INodeProperties[] = [
	{
		displayName: 'Image',
		name: 'image',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. ghcr.io/home-assistant/home-assistant:stable',
		description: 'Reference to pull; without a tag, :latest',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: showFor },
		options: [
			{
				displayName: 'Platform',
				name: 'platform',
				type: 'string',
				default: '',
				placeholder: 'e.g. linux/arm64',
			},
			{
				displayName: 'Registry Password',
				name: 'password',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description: 'Password or access token for a private registry',
			},
			{ displayName: 'Registry Username', name: 'username', type: 'string', default: '' },
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const image = (this.getNodeParameter('image', itemIndex) as string).trim();
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		platform?: string;
		username?: string;
		password?: string;
	};
	const progress: string[] = [];
	const report = progressReporter(this, `Pulling ${image}`);
	const result = await (
		await dockerClient(this, itemIndex)
	).pullImage(image, {
		platform: options.platform || undefined,
		auth: options.username ? { username: options.username, password: options.password ?? '' } : undefined,
		signal: this.getExecutionCancelSignal(),
		onProgress: (event) => {
			if (!event.detail?.progressDetail?.current) progress.push(event.message);
			report(event);
		},
	});
	return { ...result, progress };
}
