import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asTrimmedText } from '../../../shared/values';

/** Event id: pick from recent events or type one (e.g. from the Frigate Trigger: {{ $json.id }}). */
export function eventIdField(show: Record<string, string[]>): INodeProperties {
	return {
		displayName: 'Event',
		name: 'eventId',
		type: 'resourceLocator',
		default: { mode: 'id', value: '' },
		required: true,
		description: 'The tracked object (event) in Frigate',
		displayOptions: { show },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchEvents', searchable: true },
			},
			{
				displayName: 'ID',
				name: 'id',
				type: 'string',
				placeholder: '1718987128.947436-g92ztx',
				validation: [
					{
						type: 'regex',
						properties: { regex: '^[\\w.-]+$', errorMessage: 'Not a Frigate event ID' },
					},
				],
			},
		],
	};
}

export function cameraField(show: Record<string, string[]>, required = true): INodeProperties {
	return {
		displayName: 'Camera',
		name: 'camera',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required,
		description: 'A camera from Frigate’s configuration',
		displayOptions: { show },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchCameras', searchable: true },
			},
			{ displayName: 'Name', name: 'name', type: 'string', placeholder: 'front_door' },
		],
	};
}

export function eventIdOf(this: IExecuteFunctions, itemIndex: number): string {
	const id = asTrimmedText(this.getNodeParameter('eventId', itemIndex, '', { extractValue: true }));
	if (!id) {
		throw new NodeOperationError(this.getNode(), 'Event ID is empty', {
			itemIndex,
			description: 'Pick an event or map one, e.g. {{ $json.id }} from the Frigate Trigger',
		});
	}
	return id;
}

export function cameraOf(this: IExecuteFunctions, itemIndex: number): string {
	const camera = asTrimmedText(this.getNodeParameter('camera', itemIndex, '', { extractValue: true }));
	if (!camera) {
		throw new NodeOperationError(this.getNode(), 'Camera is empty', {
			itemIndex,
			description: 'Pick a camera or enter its name as in Frigate’s configuration',
		});
	}
	return camera;
}

/** A date-time parameter (ISO string or number of seconds) as unix seconds; undefined when empty. */
export function unixSeconds(
	this: IExecuteFunctions,
	value: unknown,
	name: string,
	itemIndex: number,
): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'number') return value > 1e11 ? value / 1000 : value;
	const text = asTrimmedText(value);
	if (/^\d+(\.\d+)?$/.test(text)) return Number(text) > 1e11 ? Number(text) / 1000 : Number(text);
	const ms = Date.parse(text);
	if (Number.isNaN(ms)) {
		throw new NodeOperationError(this.getNode(), `${name} "${text}" is not a date`, {
			itemIndex,
			description: 'Use an ISO date like 2026-01-31T18:00:00Z or unix seconds',
		});
	}
	return ms / 1000;
}
