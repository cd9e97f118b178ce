// Publishes MQTT messages shaped as Frigate documents them (docs.frigate.video/integrations/mqtt):
// `frigate/events` (tracked object new/update/end, full `before`/`after`) and `frigate/reviews`
// (review item new/update/end; severity may rise from detection to alert on update).
import mqtt, { type MqttClient } from 'mqtt';

import type {
	FrigateEventMessage,
	FrigateReviewMessage,
	FrigateReviewSegment,
	FrigateTrackedObject,
} from '../../../clients/frigate/types';
import { frigateId } from './server';

export interface ObjectSpec {
	id?: string;
	camera?: string;
	label?: string;
	zones?: string[];
	score?: number;
	subLabel?: string | null;
	startTime?: number;
}

/** One tracked object as Frigate describes it in `frigate/events` (all documented fields). */
export function trackedObject(spec: ObjectSpec, frame: number, ended: boolean): FrigateTrackedObject {
	const start = spec.startTime ?? Date.now() / 1000 - 5;
	const score = spec.score ?? 0.82;
	const zones = spec.zones ?? [];
	const seen = frame === 0 ? zones.slice(0, 1) : zones;
	return {
		id: spec.id ?? frigateId(start),
		camera: spec.camera ?? 'front_door',
		frame_time: start + frame,
		snapshot: {
			frame_time: start + frame,
			box: [415, 489, 528, 700],
			area: 12728,
			region: [260, 446, 660, 846],
			score,
			attributes: [],
		},
		label: spec.label ?? 'person',
		sub_label: spec.subLabel ?? null,
		top_score: score,
		false_positive: false,
		start_time: start,
		end_time: ended ? start + frame + 1 : null,
		score: Math.max(0, score - 0.05 * (2 - Math.min(frame, 2))),
		box: [424, 500, 536, 712],
		area: 23744,
		ratio: 2.113207,
		region: [264, 450, 667, 853],
		current_zones: ended ? [] : seen,
		entered_zones: seen,
		thumbnail: null,
		has_snapshot: frame > 0,
		has_clip: frame > 0,
		active: !ended,
		stationary: false,
		motionless_count: 0,
		position_changes: frame,
		attributes: {},
		current_attributes: [],
	};
}

/** The three messages of one tracked object: new, update (entered its zones), end. */
export function eventLifecycle(spec: ObjectSpec = {}): FrigateEventMessage[] {
	const fixed = {
		...spec,
		id: spec.id ?? frigateId(spec.startTime),
		startTime: spec.startTime ?? Date.now() / 1000 - 5,
	};
	const frames = [
		trackedObject(fixed, 0, false),
		trackedObject(fixed, 1, false),
		trackedObject(fixed, 2, true),
	];
	return [
		{ type: 'new', before: frames[0], after: frames[0] },
		{ type: 'update', before: frames[0], after: frames[1] },
		{ type: 'end', before: frames[1], after: frames[2] },
	];
}

export interface ReviewSpec {
	id?: string;
	camera?: string;
	objects?: string[];
	zones?: string[];
	/** severity of the first message and of the rest (e.g. detection -> alert) */
	severity?: 'alert' | 'detection';
	escalateTo?: 'alert';
	startTime?: number;
	detections?: string[];
}

function segment(spec: ReviewSpec, id: string, start: number, stage: number): FrigateReviewSegment {
	const camera = spec.camera ?? 'front_door';
	const objects = spec.objects ?? ['person'];
	const severity = stage > 0 && spec.escalateTo ? spec.escalateTo : (spec.severity ?? 'alert');
	return {
		id,
		camera,
		start_time: start,
		end_time: stage === 2 ? start + 12 : null,
		severity,
		thumb_path: `/media/frigate/clips/review/thumb-${camera}-${id}.webp`,
		data: {
			detections: spec.detections ?? [frigateId(start)],
			objects: stage === 0 ? objects.slice(0, 1) : objects,
			sub_labels: [],
			zones: stage === 0 ? [] : (spec.zones ?? []),
			audio: [],
		},
	};
}

/** The three messages of one review item (incident): new, update, end. */
export function reviewLifecycle(spec: ReviewSpec = {}): FrigateReviewMessage[] {
	const start = spec.startTime ?? Date.now() / 1000 - 12;
	const id = spec.id ?? frigateId(start);
	const stages = [segment(spec, id, start, 0), segment(spec, id, start, 1), segment(spec, id, start, 2)];
	return [
		{ type: 'new', before: stages[0], after: stages[0] },
		{ type: 'update', before: stages[0], after: stages[1] },
		{ type: 'end', before: stages[1], after: stages[2] },
	];
}

/** A QoS 1 publisher with a persistent session, so messages queued while the broker is down go out later. */
export class FrigatePublisher {
	private constructor(
		readonly client: MqttClient,
		readonly prefix: string,
	) {}

	static async connect(
		url: string,
		options: { clientId?: string; prefix?: string } = {},
	): Promise<FrigatePublisher> {
		const client = mqtt.connect(url, {
			clientId: options.clientId ?? `frigate-sim-${Math.random().toString(16).slice(2, 8)}`,
			clean: false,
			reconnectPeriod: 200,
			protocolVersion: 4,
		});
		await new Promise<void>((resolve, reject) => {
			client.once('connect', () => resolve());
			client.once('error', reject);
		});
		return new FrigatePublisher(client, options.prefix ?? 'frigate');
	}

	async publish(topic: string, payload: unknown): Promise<void> {
		const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
		await this.client.publishAsync(`${this.prefix}/${topic}`, body, { qos: 1 });
	}

	async event(message: FrigateEventMessage): Promise<void> {
		await this.publish('events', message);
	}

	async review(message: FrigateReviewMessage): Promise<void> {
		await this.publish('reviews', message);
	}

	async close(): Promise<void> {
		await this.client.endAsync();
	}
}

/** Subscribes to a topic and records what arrives (e.g. `frigate/+/detect/set`). */
export async function recordTopic(
	url: string,
	topic: string,
): Promise<{ messages: Array<{ topic: string; payload: string }>; close(): Promise<void> }> {
	const client = mqtt.connect(url, { protocolVersion: 4 });
	const messages: Array<{ topic: string; payload: string }> = [];
	client.on('message', (received, payload) =>
		messages.push({ topic: received, payload: payload.toString() }),
	);
	await new Promise<void>((resolve, reject) => {
		client.once('connect', () => resolve());
		client.once('error', reject);
	});
	await client.subscribeAsync(topic, { qos: 1 });
	return { messages, close: async () => await client.endAsync() };
}
