// Shapes of Home Assistant's REST and WebSocket API objects this pack reads and writes.
// Sources: https://developers.home-assistant.io/docs/api/rest and https://developers.home-assistant.io/docs/api/websocket

export interface HassContext {
	id: string;
	parent_id: string | null;
	user_id: string | null;
}

export interface HassState {
	entity_id: string;
	state: string;
	attributes: Record<string, unknown>;
	last_changed: string;
	last_updated: string;
	last_reported?: string;
	context: HassContext;
}

export interface HassEvent<T = Record<string, unknown>> {
	event_type: string;
	data: T;
	origin: string;
	time_fired: string;
	context: HassContext;
}

export interface StateChangedData {
	entity_id: string;
	old_state: HassState | null;
	new_state: HassState | null;
}

/** `subscribe_trigger` pushes `{ variables: { trigger: {...} }, context }` for each match. */
export interface HassTriggerEvent {
	variables: { trigger: Record<string, unknown> };
	context?: HassContext;
}

export interface HassServiceField {
	name?: string;
	description?: string;
	required?: boolean;
	example?: unknown;
	selector?: Record<string, unknown>;
}

export interface HassService {
	name?: string;
	description?: string;
	fields: Record<string, HassServiceField>;
	target?: Record<string, unknown>;
	response?: { optional: boolean };
}

/** `get_services`: domain -> service -> description. */
export type HassServices = Record<string, Record<string, HassService>>;

export interface HassCalendar {
	entity_id: string;
	name: string;
}

export interface HassCalendarEvent {
	summary: string;
	start: { dateTime?: string; date?: string };
	end: { dateTime?: string; date?: string };
	description?: string | null;
	location?: string | null;
	uid?: string | null;
	recurrence_id?: string | null;
	rrule?: string | null;
}

/** The error object of a failed WebSocket `result` (docs: "Error handling"). */
export interface HassWsError {
	code: string;
	message: string;
	translation_key?: string;
	translation_domain?: string;
	translation_placeholders?: Record<string, string>;
}
