import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ContainerSpec } from '../../../../clients/docker';
import { dockerClient } from '../../transport';
import { argv, keyValueCollection, keyValues, show, stringList } from '../common';

const showFor = show('container', 'create');

export const description: INodeProperties[] = [
	{
		displayName: 'Image',
		name: 'image',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. nginx:1.27',
		description: 'The image to run; it must be on the host (use Image → Pull first)',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Container Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'e.g. jellyfin',
		description: 'Leave empty for a generated name',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Command',
		name: 'command',
		type: 'string',
		default: '',
		placeholder: '["httpd", "-f", "-p", "8080"]',
		description: 'Arguments as a JSON array (no shell); empty uses the image’s default command',
		displayOptions: { show: showFor },
	},
	keyValueCollection('env', 'Environment Variables', showFor, 'Variables set in the container'),
	{
		displayName: 'Ports',
		name: 'ports',
		type: 'string',
		default: '',
		placeholder: '8080:80, 127.0.0.1:53:53/udp',
		description: 'Published ports, host:container[/protocol], separated by commas',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Volumes',
		name: 'volumes',
		type: 'string',
		default: '',
		placeholder: 'media-data:/data, /srv/config:/config:ro',
		description: 'Named volumes or host paths to mount, source:/container/path[:ro], separated by commas',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Restart Policy',
		name: 'restartPolicy',
		type: 'options',
		default: 'no',
		options: [
			{ name: 'No', value: 'no' },
			{ name: 'Always', value: 'always' },
			{ name: 'Unless Stopped', value: 'unless-stopped' },
			{ name: 'On Failure', value: 'on-failure' },
		],
		displayOptions: { show: showFor },
	},
	keyValueCollection('labels', 'Labels', showFor, 'Labels on the container'),
	{
		displayName: 'Start After Creating',
		name: 'start',
		type: 'boolean',
		default: true,
		description: 'Whether to start the container once it is created',
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
				displayName: 'Engine API Fields (JSON)',
				name: 'raw',
				type: 'json',
				default: '{}',
				description:
					'More fields of the engine’s ContainerCreate body, merged last (e.g. {"HostConfig": {"Memory": 536870912}})',
			},
			{
				displayName: 'Entrypoint',
				name: 'entrypoint',
				type: 'string',
				default: '',
				placeholder: '["/bin/sh"]',
				description: 'Entrypoint as a JSON array (no shell)',
			},
			{
				displayName: 'Network',
				name: 'networkMode',
				type: 'string',
				default: '',
				placeholder: 'e.g. stack-media_default, host, none',
				description: 'Network to attach to (a network name, host, none or container:&lt;name&gt;)',
			},
			{
				displayName: 'TTY',
				name: 'tty',
				type: 'boolean',
				default: false,
				description: 'Whether to allocate a terminal (logs are then not split into stdout and stderr)',
			},
			{
				displayName: 'User',
				name: 'user',
				type: 'string',
				default: '',
				placeholder: 'e.g. 1000:1000',
			},
			{
				displayName: 'Working Directory',
				name: 'workingDir',
				type: 'string',
				default: '',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const image = (this.getNodeParameter('image', itemIndex) as string).trim();
	if (!image)
		throw new NodeOperationError(this.getNode(), 'No image given', {
			itemIndex,
			description: 'Enter the image to run, e.g. nginx:1.27',
		});
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		networkMode?: string;
		workingDir?: string;
		user?: string;
		entrypoint?: string;
		tty?: boolean;
		raw?: string | IDataObject;
	};
	let raw: Record<string, unknown> = {};
	if (options.raw !== undefined) {
		try {
			raw =
				typeof options.raw === 'string'
					? (JSON.parse(options.raw || '{}') as Record<string, unknown>)
					: options.raw;
		} catch (error) {
			throw new NodeOperationError(
				this.getNode(),
				`Engine API Fields is not valid JSON: ${(error as Error).message}`,
				{
					itemIndex,
					description: 'Write a JSON object, e.g. {"HostConfig": {"Memory": 536870912}}',
				},
			);
		}
	}
	const spec: ContainerSpec = {
		image,
		name: (this.getNodeParameter('name', itemIndex, '') as string).trim() || undefined,
		cmd: argv(this, 'command', itemIndex, false),
		entrypoint: options.entrypoint ? argv(this, 'options.entrypoint', itemIndex, false) : undefined,
		env: keyValues(this, 'env', itemIndex),
		ports: stringList(this.getNodeParameter('ports', itemIndex, '')),
		volumes: stringList(this.getNodeParameter('volumes', itemIndex, '')),
		labels: keyValues(this, 'labels', itemIndex),
		restartPolicy: this.getNodeParameter('restartPolicy', itemIndex, 'no') as ContainerSpec['restartPolicy'],
		networkMode: options.networkMode?.trim() || undefined,
		workingDir: options.workingDir?.trim() || undefined,
		user: options.user?.trim() || undefined,
		tty: options.tty,
		raw,
	};
	const client = await dockerClient(this, itemIndex);
	const created = await client.createContainer(spec);
	const started = this.getNodeParameter('start', itemIndex, true) as boolean;
	if (started) await client.startContainer(created.id);
	return { id: created.id, name: created.name, image, started };
}
