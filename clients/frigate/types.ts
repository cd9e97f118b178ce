// Shapes of Frigate's HTTP API (docs.frigate.video/integrations/api, FastAPI app under /api) and of the MQTT
// messages it publishes (docs.frigate.video/integrations/mqtt). Only the fields this pack reads are typed;
// everything else passes through untouched.

export interface FrigateEvent {
	id: string;
	camera: string;
	label: string;
	sub_label: string | null | [string, number];
	zones: string[];
	start_time: number;
	end_time: number | null;
	has_clip: boolean;
	has_snapshot: boolean;
	retain_indefinitely: boolean;
	top_score?: number | null;
	false_positive?: boolean | null;
	data?: Record<string, unknown>;
	[key: string]: unknown;
}

export interface FrigateReviewItem {
	id: string;
	camera: string;
	start_time: number;
	end_time: number | null;
	has_been_reviewed: boolean;
	severity: 'alert' | 'detection';
	thumb_path: string;
	data: {
		detections: string[];
		objects: string[];
		sub_labels: string[];
		zones: string[];
		audio: string[];
		[key: string]: unknown;
	};
	[key: string]: unknown;
}

/** `frigate/events`: one message per change of a tracked object. */
export interface FrigateEventMessage {
	type: 'new' | 'update' | 'end';
	before: FrigateTrackedObject;
	after: FrigateTrackedObject;
}

export interface FrigateTrackedObject {
	id: string;
	camera: string;
	label: string;
	sub_label: string | null | [string, number];
	score: number;
	top_score: number;
	false_positive: boolean;
	start_time: number;
	end_time: number | null;
	current_zones: string[];
	entered_zones: string[];
	has_clip: boolean;
	has_snapshot: boolean;
	[key: string]: unknown;
}

/** `frigate/reviews`: one message per change of a review item (an incident: alert or detection). */
export interface FrigateReviewMessage {
	type: 'new' | 'update' | 'end';
	before: FrigateReviewSegment;
	after: FrigateReviewSegment;
}

export interface FrigateReviewSegment {
	id: string;
	camera: string;
	start_time: number;
	end_time: number | null;
	severity: 'alert' | 'detection';
	thumb_path: string;
	data: FrigateReviewItem['data'];
	[key: string]: unknown;
}

export interface EventListFilters {
	camera?: string[];
	label?: string[];
	zone?: string[];
	subLabel?: string[];
	/** unix seconds */
	after?: number;
	/** unix seconds */
	before?: number;
	hasClip?: boolean;
	hasSnapshot?: boolean;
	inProgress?: boolean;
	favorites?: boolean;
	limit?: number;
}

export interface ReviewListFilters {
	cameras?: string[];
	labels?: string[];
	zones?: string[];
	severity?: 'alert' | 'detection';
	reviewed?: boolean;
	after?: number;
	before?: number;
	limit?: number;
}

export interface CreateEventOptions {
	subLabel?: string;
	score?: number;
	/** seconds; omit for an event that lasts until ended */
	duration?: number | null;
	includeRecording?: boolean;
}

export interface ExportOptions {
	playback?: 'realtime' | 'timelapse_25x';
	name?: string;
}

export interface FrigateMedia {
	data: Buffer;
	mimeType: string;
	fileName: string;
}

export interface FrigateSuccess {
	success: boolean;
	message: string;
	[key: string]: unknown;
}
