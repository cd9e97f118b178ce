// Which Frigate MQTT messages become one alert. Frigate publishes `frigate/reviews` (one review item per
// incident: severity alert or detection, messages new -> update... -> end) and `frigate/events` (one tracked
// object, new -> update... -> end) with full `before`/`after` payloads (docs.frigate.video/integrations/mqtt).
// A gate decides per message whether it is emitted, and never emits the same thing twice: a QoS 1 message
// the broker redelivers after a reconnect is recognised and dropped.

import type { FrigateEventMessage, FrigateReviewMessage } from './types';

export type IncidentSource = 'reviews' | 'events';
export type MessageType = 'new' | 'update' | 'end';
/** end: only the final message; first: the first matching message of each id; every: each matching message */
export type EmitMode = 'end' | 'first' | 'every';

export interface IncidentFilter {
	source: IncidentSource;
	emit: EmitMode;
	/** message types that count in "every" mode (empty: all) */
	types?: MessageType[];
	cameras?: string[];
	labels?: string[];
	zones?: string[];
	/** reviews only */
	severity?: 'alert' | 'detection' | 'any';
	/** events only: the tracked object's top score */
	minScore?: number;
}

export interface Incident {
	source: IncidentSource;
	type: MessageType;
	id: string;
	camera: string;
	[key: string]: unknown;
}

/** `key` names what was emitted (incident id, or id and message type): remember it to never emit it again. */
export type Decision = { emit: true; incident: Incident; key: string } | { emit: false; reason: string };

const TYPES: MessageType[] = ['new', 'update', 'end'];

function clean(values: string[] | undefined): string[] {
	return (values ?? []).map((value) => value.trim().toLowerCase()).filter(Boolean);
}

function anyOf(wanted: string[], present: Array<string | null | undefined>): boolean {
	if (wanted.length === 0) return true;
	const have = new Set(
		present.filter((value): value is string => typeof value === 'string').map((v) => v.toLowerCase()),
	);
	return wanted.some((value) => have.has(value));
}

function subLabelName(value: unknown): string | null {
	if (typeof value === 'string') return value;
	if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
	return null;
}

/** A bounded set that forgets the oldest entries first. */
class RecentSet {
	private readonly entries = new Set<string>();
	constructor(private readonly capacity: number) {}

	has(key: string): boolean {
		return this.entries.has(key);
	}

	add(key: string): void {
		this.entries.add(key);
		if (this.entries.size > this.capacity) {
			const oldest = this.entries.values().next().value;
			if (oldest !== undefined) this.entries.delete(oldest);
		}
	}
}

export class IncidentGate {
	private readonly emitted: RecentSet;
	private readonly cameras: string[];
	private readonly labels: string[];
	private readonly zones: string[];
	private readonly types: MessageType[];

	constructor(
		private readonly filter: IncidentFilter,
		memory = 20000,
	) {
		this.emitted = new RecentSet(memory);
		this.cameras = clean(filter.cameras);
		this.labels = clean(filter.labels);
		this.zones = clean(filter.zones);
		this.types = filter.types?.length ? filter.types : TYPES;
	}

	/** Takes keys emitted before (e.g. before an n8n restart) as emitted, so they are not emitted again. */
	remember(keys: readonly string[]): void {
		for (const key of keys) if (typeof key === 'string') this.emitted.add(key);
	}

	/** Decides about one raw MQTT payload. */
	decide(payload: Buffer | string): Decision {
		let message: unknown;
		try {
			message = JSON.parse(payload.toString());
		} catch {
			return { emit: false, reason: 'payload is not JSON' };
		}
		const shaped = message as Partial<FrigateReviewMessage | FrigateEventMessage> | null;
		if (!shaped || typeof shaped !== 'object' || !shaped.after || typeof shaped.after.id !== 'string') {
			return { emit: false, reason: 'not a Frigate review/event message (no after.id)' };
		}
		const type = shaped.type;
		if (type !== 'new' && type !== 'update' && type !== 'end') {
			return { emit: false, reason: `unknown message type ${String(type)}` };
		}
		const incident =
			this.filter.source === 'reviews'
				? this.review(shaped as FrigateReviewMessage)
				: this.event(shaped as FrigateEventMessage);
		if (typeof incident === 'string') return { emit: false, reason: incident };

		const mode = this.filter.emit;
		if (mode === 'end' && type !== 'end') return { emit: false, reason: 'waiting for the end message' };
		if (mode === 'every' && !this.types.includes(type))
			return { emit: false, reason: `type ${type} not selected` };
		const key = mode === 'first' ? incident.id : `${incident.id}:${type}`;
		if (this.emitted.has(key)) return { emit: false, reason: `already emitted ${key}` };
		this.emitted.add(key);
		return { emit: true, incident, key };
	}

	private review(message: FrigateReviewMessage): Incident | string {
		const after = message.after;
		const data = after.data ?? { objects: [], zones: [], sub_labels: [], detections: [], audio: [] };
		if (!anyOf(this.cameras, [after.camera])) return `camera ${after.camera} not selected`;
		const severity = this.filter.severity ?? 'any';
		if (severity !== 'any' && after.severity !== severity) return `severity ${after.severity} not selected`;
		if (!anyOf(this.labels, [...(data.objects ?? []), ...(data.sub_labels ?? []), ...(data.audio ?? [])])) {
			return 'no selected label';
		}
		if (!anyOf(this.zones, data.zones ?? [])) return 'no selected zone';
		return {
			source: 'reviews',
			type: message.type,
			id: after.id,
			camera: after.camera,
			severity: after.severity,
			objects: data.objects ?? [],
			subLabels: data.sub_labels ?? [],
			zones: data.zones ?? [],
			detections: data.detections ?? [],
			startTime: after.start_time,
			endTime: after.end_time,
			before: message.before,
			after,
		};
	}

	private event(message: FrigateEventMessage): Incident | string {
		const after = message.after;
		if (after.false_positive) return 'false positive';
		if (!anyOf(this.cameras, [after.camera])) return `camera ${after.camera} not selected`;
		const subLabel = subLabelName(after.sub_label);
		if (!anyOf(this.labels, [after.label, subLabel])) return `label ${after.label} not selected`;
		const zones = [...(after.entered_zones ?? []), ...(after.current_zones ?? [])];
		if (!anyOf(this.zones, zones)) return 'no selected zone';
		const score = typeof after.top_score === 'number' ? after.top_score : after.score;
		if (this.filter.minScore !== undefined && this.filter.minScore > 0 && !(score >= this.filter.minScore)) {
			return `score ${score} below ${this.filter.minScore}`;
		}
		return {
			source: 'events',
			type: message.type,
			id: after.id,
			camera: after.camera,
			label: after.label,
			subLabel,
			score,
			zones: after.entered_zones ?? [],
			hasClip: after.has_clip,
			hasSnapshot: after.has_snapshot,
			startTime: after.start_time,
			endTime: after.end_time,
			before: message.before,
			after,
		};
	}
}
