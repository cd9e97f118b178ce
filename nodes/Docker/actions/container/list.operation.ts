import type Docker from 'dockerode';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { LABELS } from '../../../../clients/docker';
import { dockerClient } from '../../transport';
import { filtersOf, limited, returnAllFields, show, stringList } from '../common';

const showFor = show('container', 'list');

export const description: INodeProperties[] = [
	...returnAllFields(showFor),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: showFor },
		options: [
			{
				displayName: 'Image (Ancestor)',
				name: 'ancestor',
				type: 'string',
				default: '',
				description: 'Containers created from this image',
			},
			{
				displayName: 'Include Stopped',
				name: 'all',
				type: 'boolean',
				default: true,
				description: 'Whether to list stopped containers too (docker ps -a)',
			},
			{
				displayName: 'Label',
				name: 'label',
				type: 'string',
				default: '',
				placeholder: 'com.docker.compose.project=stack-media',
				description: 'Labels the containers must have, as key or key=value; several separated by commas',
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: 'Containers whose name contains this text',
			},
			{
				displayName: 'Stack',
				name: 'stack',
				type: 'string',
				default: '',
				description: 'Only containers of this compose project',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'multiOptions',
				default: [],
				options: ['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead'].map(
					(value) => ({
						name: value[0].toUpperCase() + value.slice(1),
						value,
					}),
				),
			},
		],
	},
];

export function summarize(info: Docker.ContainerInfo): IDataObject {
	return {
		id: info.Id,
		name: (info.Names?.[0] ?? '').replace(/^\//, ''),
		image: info.Image,
		imageId: info.ImageID,
		command: info.Command,
		state: info.State,
		status: info.Status,
		createdAt: new Date(info.Created * 1000).toISOString(),
		stack: info.Labels?.[LABELS.project] ?? null,
		service: info.Labels?.[LABELS.service] ?? null,
		ports: (info.Ports ?? []).map((port) =>
			port.PublicPort
				? `${port.IP ? `${port.IP}:` : ''}${port.PublicPort}->${port.PrivatePort}/${port.Type}`
				: `${port.PrivatePort}/${port.Type}`,
		),
		networks: Object.keys(info.NetworkSettings?.Networks ?? {}),
		labels: info.Labels ?? {},
	};
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as {
		all?: boolean;
		label?: string;
		name?: string;
		ancestor?: string;
		status?: string[];
		stack?: string;
	};
	const labels = stringList(filters.label);
	if (filters.stack?.trim()) labels.push(`${LABELS.project}=${filters.stack.trim()}`);
	const client = await dockerClient(this, itemIndex);
	const list = await client.listContainers({
		all: filters.all ?? true,
		filters: filtersOf({
			label: labels,
			name: stringList(filters.name),
			ancestor: stringList(filters.ancestor),
			status: filters.status,
		}),
	});
	return limited(this, itemIndex, list).map(summarize);
}
