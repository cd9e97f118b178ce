// A Home Assistant simulator for tests: REST API (https://developers.home-assistant.io/docs/api/rest) and
// WebSocket API (https://developers.home-assistant.io/docs/api/websocket) on a free loopback port, backed by an
// in-memory state machine the test drives with setState()/fireEvent(). It rejects what Home Assistant rejects:
// - WebSocket "Authentication phase": auth_required, then auth_ok, or auth_invalid and the session is closed;
// - "Message format": every command needs an integer id greater than the previous one (`id_reuse` otherwise,
//   `invalid_format` when missing) — as homeassistant/components/websocket_api/connection.py does;
// - "Error handling": call_service answers `not_found` for an unknown service, `invalid_format` for data that
//   fails the service schema, `service_validation_error` for values the service refuses (and for
//   return_response misuse), `unknown_command` for an unknown message type;
// - REST: 401 "401: Unauthorized" without a valid Bearer token, 404 {"message": "Entity not found."},
//   400 {"message": ...} bodies for bad input ("POST /api/states/<entity_id>", "POST /api/template", ...).
// restart() behaves like a Home Assistant restart: homeassistant_stop, every socket dropped, connections refused
// for a while, then back with state STARTING -> RUNNING and a homeassistant_started event.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

import type {
	HassCalendarEvent,
	HassContext,
	HassEvent,
	HassService,
	HassState,
} from '../../../clients/homeassistant';
import { selfSignedCertificate } from '../../helpers/tls';
import { renderTemplate, TemplateError } from './template';

export const HA_VERSION = '2025.11.1';
const ENTITY_ID = /^[a-z0-9_]+\.[a-z0-9_]+$/;

export class ServiceError extends Error {
	constructor(
		readonly code: 'not_found' | 'invalid_format' | 'service_validation_error' | 'home_assistant_error',
		message: string,
	) {
		super(message);
	}
}

interface ServiceCallContext {
	data: Record<string, unknown>;
	entityIds: string[];
	returnResponse: boolean;
}

interface ServiceDefinition {
	description: HassService;
	run(call: ServiceCallContext): Record<string, unknown> | null | void;
}

type Subscription =
	| { kind: 'events'; eventType?: string }
	| { kind: 'trigger'; triggers: Array<Record<string, unknown>> };

interface Connection {
	id: number;
	ws: WebSocket;
	authenticated: boolean;
	lastId: number;
	subscriptions: Map<number, Subscription>;
}

/** A to-do item as Home Assistant's todo.get_items returns it (https://www.home-assistant.io/integrations/todo/). */
export interface TodoItem {
	uid: string;
	summary: string;
	status: 'needs_action' | 'completed';
	/** YYYY-MM-DD for a due date; for a due date-time the instant as an ISO string (UTC). */
	due?: string;
	description?: string;
}

export interface ServiceCallRecord {
	domain: string;
	service: string;
	data: Record<string, unknown>;
	via: 'rest' | 'websocket';
}

/** cv.date: a calendar date written YYYY-MM-DD that exists. */
function isIsoDate(value: unknown): boolean {
	if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
	return new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
}

function context(): HassContext {
	return { id: randomBytes(13).toString('hex').slice(0, 26).toUpperCase(), parent_id: null, user_id: null };
}

/** A value as text the way Python's str() would show a scalar; objects as JSON. */
export function str(value: unknown): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
		return String(value);
	return JSON.stringify(value) ?? '';
}

function asList(value: unknown): string[] {
	if (value === undefined || value === null) return [];
	return (Array.isArray(value) ? (value as unknown[]) : str(value).split(',')).map((entry) =>
		str(entry).trim(),
	);
}

/** A JPEG's SOI/EOI markers around a label: enough for a "snapshot" whose bytes tests can recognise. */
export function fakeJpeg(label: string): Buffer {
	return Buffer.concat([
		Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
		Buffer.from(label),
		Buffer.from([0xff, 0xd9]),
	]);
}

export class HomeAssistantSimulator {
	readonly token: string;
	port = 0;
	/** Every state change, in order (the recorder). */
	readonly recorded: HassState[] = [];
	readonly serviceCalls: ServiceCallRecord[] = [];
	readonly firedEvents: HassEvent[] = [];
	/** Every WebSocket message clients sent after auth, with the connection number. */
	readonly received: Array<{ connection: number; message: Record<string, unknown> }> = [];
	readonly calendarEvents = new Map<string, HassCalendarEvent[]>();
	/** Items of each to-do list entity, as todo.get_items would return them. */
	readonly todoItems = new Map<string, TodoItem[]>();
	/** Answer nothing over WebSocket while true (a half-open connection: pings go unanswered). */
	mute = false;
	/** What POST /api/config/core/check_config reports. */
	configErrors: string | null = null;
	restarts = 0;
	coreState: 'RUNNING' | 'STARTING' | 'NOT_RUNNING' = 'RUNNING';
	private readonly states = new Map<string, HassState>();
	private readonly services = new Map<string, ServiceDefinition>();
	private readonly connections = new Set<Connection>();
	private readonly sockets = new Set<Socket>();
	private connectionCount = 0;
	private readonly server: http.Server;
	private readonly wss = new WebSocketServer({ noServer: true });

	private constructor(
		token: string,
		private readonly tls: boolean,
	) {
		this.token = token;
		const handler: http.RequestListener = (request, response) => {
			this.handleRest(request, response).catch((error: unknown) => {
				response.writeHead(500, { 'content-type': 'text/plain' });
				response.end(`500 Internal Server Error: ${String(error)}`);
			});
		};
		// HTTPS with a self-signed certificate when asked, to exercise the "Ignore SSL Issues" option.
		this.server = tls
			? https.createServer(selfSignedCertificate('localhost'), handler)
			: http.createServer(handler);
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.once('close', () => this.sockets.delete(socket));
		});
		this.server.on('upgrade', (request, socket, head) => {
			if (new URL(request.url ?? '/', 'http://x').pathname !== '/api/websocket') {
				socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
				return;
			}
			this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
		});
		this.seed();
	}

	static async start(
		options: { token?: string; port?: number; tls?: boolean } = {},
	): Promise<HomeAssistantSimulator> {
		const simulator = new HomeAssistantSimulator(
			options.token ?? `sim-${randomBytes(16).toString('hex')}`,
			options.tls === true,
		);
		await simulator.listen(options.port ?? 0);
		return simulator;
	}

	get url(): string {
		return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
	}

	// ---- test controls ------------------------------------------------------------------------------------

	state(entityId: string): HassState | undefined {
		return this.states.get(entityId);
	}

	allStates(): HassState[] {
		return [...this.states.values()];
	}

	/** Sets a state like an integration would; fires state_changed when the state or an attribute changed. */
	setState(entityId: string, state: string, attributes?: Record<string, unknown>): HassState {
		const old = this.states.get(entityId) ?? null;
		const now = new Date().toISOString();
		const merged = attributes ?? old?.attributes ?? {};
		const changed = old?.state !== state;
		if (old && !changed && JSON.stringify(old.attributes) === JSON.stringify(merged)) return old;
		const next: HassState = {
			entity_id: entityId,
			state,
			attributes: merged,
			last_changed: changed || !old ? now : old.last_changed,
			last_updated: now,
			last_reported: now,
			context: context(),
		};
		this.states.set(entityId, next);
		this.recorded.push(next);
		this.fire('state_changed', { entity_id: entityId, old_state: old, new_state: next }, next.context);
		this.matchTriggers(entityId, old, next);
		return next;
	}

	fireEvent(eventType: string, data: Record<string, unknown> = {}): HassEvent {
		return this.fire(eventType, data, context());
	}

	/** Open WebSocket sessions that passed authentication. */
	authenticatedConnections(): number {
		return [...this.connections].filter((connection) => connection.authenticated).length;
	}

	/** Active subscriptions that would receive `eventType` (subscribe_events with that type or with none). */
	subscribers(eventType: string): number {
		let count = 0;
		for (const connection of this.connections) {
			for (const subscription of connection.subscriptions.values()) {
				if (
					subscription.kind === 'events' &&
					(!subscription.eventType || subscription.eventType === eventType)
				)
					count += 1;
			}
		}
		return count;
	}

	triggerSubscribers(): number {
		let count = 0;
		for (const connection of this.connections)
			for (const subscription of connection.subscriptions.values())
				if (subscription.kind === 'trigger') count += 1;
		return count;
	}

	/** Drops every WebSocket without warning (a network blip); the server keeps accepting. */
	dropConnections(): void {
		for (const connection of this.connections) connection.ws.terminate();
		// Gone at once (not when the close event comes round), so counts seen by tests are never stale.
		this.connections.clear();
	}

	/**
	 * A Home Assistant restart: fires homeassistant_stop, drops every connection, refuses connections for
	 * `downMs`, comes back STARTING, and after `startingMs` is RUNNING and fires homeassistant_started.
	 */
	async restart({
		downMs = 1500,
		startingMs = 300,
		unavailableWhileStarting = [] as string[],
	} = {}): Promise<void> {
		this.restarts += 1;
		this.fireEvent('homeassistant_stop');
		this.coreState = 'NOT_RUNNING';
		await this.closeServer();
		await new Promise((resolve) => setTimeout(resolve, downMs));
		this.coreState = 'STARTING';
		// Like integrations that are not loaded yet: their entities are unavailable until startup finishes.
		const restore = unavailableWhileStarting.map((entityId) => this.states.get(entityId));
		for (const entityId of unavailableWhileStarting) this.setState(entityId, 'unavailable');
		await this.listen(this.port);
		await new Promise((resolve) => setTimeout(resolve, startingMs));
		for (const state of restore) if (state) this.setState(state.entity_id, state.state, state.attributes);
		this.coreState = 'RUNNING';
		this.fireEvent('homeassistant_started');
	}

	async stop(): Promise<void> {
		await this.closeServer();
		this.wss.close();
	}

	// ---- server plumbing ----------------------------------------------------------------------------------

	private async listen(port: number): Promise<void> {
		await new Promise<void>((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(port, '127.0.0.1', () => {
				this.server.off('error', reject);
				resolve();
			});
		});
		this.port = (this.server.address() as AddressInfo).port;
	}

	private async closeServer(): Promise<void> {
		for (const connection of this.connections) connection.ws.terminate();
		this.connections.clear();
		const closed = new Promise((resolve) => this.server.close(resolve));
		for (const socket of this.sockets) socket.destroy();
		await closed;
	}

	private seed(): void {
		const put = (entityId: string, state: string, attributes: Record<string, unknown>) => {
			const now = new Date(Date.now() - 3600_000).toISOString();
			const value: HassState = {
				entity_id: entityId,
				state,
				attributes,
				last_changed: now,
				last_updated: now,
				last_reported: now,
				context: context(),
			};
			this.states.set(entityId, value);
			this.recorded.push(value);
		};
		put('light.kitchen', 'off', { friendly_name: 'Kitchen Light', supported_color_modes: ['brightness'] });
		put('light.living_room', 'on', { friendly_name: 'Living Room', brightness: 180 });
		put('light.porch', 'off', { friendly_name: 'Porch Light', supported_color_modes: ['brightness'] });
		put('switch.fan', 'off', { friendly_name: 'Fan' });
		put('binary_sensor.front_door_motion', 'off', {
			friendly_name: 'Front Door Motion',
			device_class: 'motion',
		});
		put('sensor.outdoor_temperature', '12.5', {
			friendly_name: 'Outdoor Temperature',
			unit_of_measurement: '°C',
			device_class: 'temperature',
		});
		put('input_boolean.guest_mode', 'off', { friendly_name: 'Guest Mode' });
		put('calendar.family', 'off', { friendly_name: 'Family' });
		put('camera.porch', 'idle', { friendly_name: 'Porch', entity_picture: '/api/camera_proxy/camera.porch' });
		put('person.alex', 'home', { friendly_name: 'Alex' });
		// A local to-do list supports due dates, due date-times and descriptions (TodoListEntityFeature 16|32|64).
		put('todo.tasks', '0', { friendly_name: 'Tasks', supported_features: 1 | 2 | 4 | 8 | 16 | 32 | 64 });
		put('todo.shopping_list', '0', { friendly_name: 'Shopping List', supported_features: 1 | 2 | 4 | 8 });
		this.todoItems.set('todo.tasks', []);
		this.todoItems.set('todo.shopping_list', []);
		this.calendarEvents.set('calendar.family', [
			{
				summary: 'Bin day',
				start: { dateTime: new Date(Date.now() + 86400_000).toISOString() },
				end: { dateTime: new Date(Date.now() + 90000_000).toISOString() },
				description: 'Put the bins out',
				location: null,
				uid: 'bin-day',
			},
		]);

		const onOff = (domain: string, service: 'turn_on' | 'turn_off' | 'toggle'): ServiceDefinition => ({
			description: {
				name: service.replace('_', ' '),
				description: `${service.replace('_', ' ')} ${domain} entities`,
				fields:
					domain === 'light' && service !== 'turn_off'
						? { brightness: { name: 'Brightness', selector: { number: { min: 0, max: 255 } } } }
						: {},
				target: { entity: [{ domain: [domain] }] },
			},
			run: ({ data, entityIds }) => {
				const brightness = data.brightness;
				if (
					brightness !== undefined &&
					(typeof brightness !== 'number' || brightness < 0 || brightness > 255)
				) {
					throw new ServiceError(
						'service_validation_error',
						`Brightness ${str(brightness)} is out of range 0-255`,
					);
				}
				for (const entityId of entityIds) {
					const current = this.states.get(entityId);
					if (!current || !entityId.startsWith(`${domain}.`)) continue;
					const on = service === 'toggle' ? current.state !== 'on' : service === 'turn_on';
					const attributes = { ...current.attributes };
					if (typeof brightness === 'number') attributes.brightness = brightness;
					this.setState(entityId, on ? 'on' : 'off', attributes);
				}
			},
		});
		for (const domain of ['light', 'switch', 'input_boolean'])
			for (const service of ['turn_on', 'turn_off', 'toggle'] as const)
				this.services.set(`${domain}.${service}`, onOff(domain, service));

		this.services.set('notify.mobile_app_phone', {
			description: {
				name: 'Send a notification via mobile_app_phone',
				description: 'Sends a notification message using the mobile_app_phone integration.',
				fields: {
					message: { name: 'Message', required: true, selector: { text: null } },
					title: { name: 'Title', selector: { text: null } },
					data: { name: 'Data', selector: { object: null } },
				},
			},
			run: ({ data }) => {
				if (typeof data.message !== 'string') {
					throw new ServiceError('invalid_format', "required key not provided @ data['message']");
				}
			},
		});
		this.services.set('calendar.get_events', {
			description: {
				name: 'Get events',
				description: 'Get events on a calendar within a time range.',
				fields: {
					start_date_time: { name: 'Start time', selector: { datetime: null } },
					end_date_time: { name: 'End time', selector: { datetime: null } },
				},
				target: { entity: [{ domain: ['calendar'] }] },
				response: { optional: false },
			},
			run: ({ data, entityIds }) => {
				const start = Date.parse(str(data.start_date_time ?? new Date().toISOString()));
				const end = Date.parse(str(data.end_date_time ?? new Date(start + 86400_000).toISOString()));
				const response: Record<string, unknown> = {};
				for (const entityId of entityIds) {
					response[entityId] = { events: this.eventsBetween(entityId, start, end) };
				}
				return response;
			},
		});
		this.services.set('calendar.create_event', {
			description: {
				name: 'Create event',
				description: 'Adds a new calendar event.',
				fields: {
					summary: { name: 'Summary', required: true },
					description: { name: 'Description' },
					start_date_time: { name: 'Start time' },
					end_date_time: { name: 'End time' },
					location: { name: 'Location' },
				},
				target: { entity: [{ domain: ['calendar'] }] },
			},
			run: ({ data, entityIds }) => {
				if (typeof data.summary !== 'string') {
					throw new ServiceError('invalid_format', "required key not provided @ data['summary']");
				}
				const start = Date.parse(str(data.start_date_time));
				const end = Date.parse(str(data.end_date_time));
				if (Number.isNaN(start) || Number.isNaN(end)) {
					throw new ServiceError(
						'invalid_format',
						'Expected a start and end date/time (start_date_time, end_date_time)',
					);
				}
				if (end <= start)
					throw new ServiceError('service_validation_error', 'Expected end time to be after start time');
				for (const entityId of entityIds) {
					const list = this.calendarEvents.get(entityId);
					if (!list)
						throw new ServiceError('service_validation_error', `Entity ${entityId} is not a calendar`);
					list.push({
						summary: data.summary,
						start: { dateTime: new Date(start).toISOString() },
						end: { dateTime: new Date(end).toISOString() },
						description: typeof data.description === 'string' ? data.description : null,
						location: typeof data.location === 'string' ? data.location : null,
						uid: randomBytes(8).toString('hex'),
					});
				}
			},
		});
		// https://www.home-assistant.io/integrations/todo/#action-todoadd_item: `item` (required), `due_date`,
		// `due_datetime`, `description`. Its schema (homeassistant/components/todo/__init__.py) takes a non-empty
		// item, a date for due_date, a date-time for due_datetime and at most one of the two (vol.Invalid ->
		// invalid_format); a list without the matching TodoListEntityFeature refuses the field with a
		// ServiceValidationError, as does an entity that is not a to-do list.
		this.services.set('todo.add_item', {
			description: {
				name: 'Add to-do list item',
				description: 'Adds a new to-do list item.',
				fields: {
					item: { name: 'Item name', required: true, selector: { text: null } },
					due_date: { name: 'Due date', selector: { date: null } },
					due_datetime: { name: 'Due date and time', selector: { datetime: null } },
					description: { name: 'Description', selector: { text: { multiline: true } } },
				},
				target: { entity: [{ domain: ['todo'] }] },
			},
			run: ({ data, entityIds }) => {
				if (typeof data.item !== 'string') {
					throw new ServiceError('invalid_format', "required key not provided @ data['item']");
				}
				if (!data.item.trim()) {
					throw new ServiceError(
						'invalid_format',
						"length of value must be at least 1 for dictionary value @ data['item']",
					);
				}
				if (data.due_date !== undefined && data.due_datetime !== undefined) {
					throw new ServiceError('invalid_format', 'must contain at most one of due_date, due_datetime.');
				}
				if (data.due_date !== undefined && !isIsoDate(data.due_date)) {
					throw new ServiceError(
						'invalid_format',
						`Invalid date specified: ${str(data.due_date)} for dictionary value @ data['due_date']`,
					);
				}
				if (data.due_datetime !== undefined && Number.isNaN(Date.parse(str(data.due_datetime)))) {
					throw new ServiceError(
						'invalid_format',
						`Invalid datetime specified: ${str(data.due_datetime)} for dictionary value @ data['due_datetime']`,
					);
				}
				if (entityIds.length === 0) {
					throw new ServiceError(
						'invalid_format',
						'must contain at least one of entity_id, device_id, area_id.',
					);
				}
				const needs: Array<[string, number]> = [
					['due_date', 16],
					['due_datetime', 32],
					['description', 64],
				];
				for (const entityId of entityIds) {
					const list = this.todoItems.get(entityId);
					if (!list) {
						throw new ServiceError('service_validation_error', `Entity ${entityId} is not a to-do list`);
					}
					const features = Number(this.states.get(entityId)?.attributes.supported_features ?? 0);
					for (const [field, flag] of needs) {
						if (data[field] !== undefined && (features & flag) === 0)
							throw new ServiceError(
								'service_validation_error',
								`Entity does not support setting field '${field}'`,
							);
					}
				}
				for (const entityId of entityIds) {
					const list = this.todoItems.get(entityId) ?? [];
					list.push({
						uid: randomBytes(8).toString('hex'),
						summary: data.item,
						status: 'needs_action',
						...(data.due_date !== undefined ? { due: str(data.due_date) } : {}),
						...(data.due_datetime !== undefined
							? { due: new Date(Date.parse(str(data.due_datetime))).toISOString() }
							: {}),
						...(typeof data.description === 'string' ? { description: data.description } : {}),
					});
					const current = this.states.get(entityId);
					const open = list.filter((entry) => entry.status === 'needs_action').length;
					this.setState(entityId, String(open), current?.attributes);
				}
			},
		});
	}

	private eventsBetween(entityId: string, start: number, end: number): HassCalendarEvent[] {
		return (this.calendarEvents.get(entityId) ?? []).filter((event) => {
			const from = Date.parse(event.start.dateTime ?? event.start.date ?? '');
			const to = Date.parse(event.end.dateTime ?? event.end.date ?? '');
			return to > start && from < end;
		});
	}

	private fire(eventType: string, data: Record<string, unknown>, eventContext: HassContext): HassEvent {
		const event: HassEvent = {
			event_type: eventType,
			data,
			origin: 'LOCAL',
			time_fired: new Date().toISOString(),
			context: eventContext,
		};
		this.firedEvents.push(event);
		for (const connection of this.connections) {
			if (!connection.authenticated) continue;
			for (const [id, subscription] of connection.subscriptions) {
				if (subscription.kind !== 'events') continue;
				if (subscription.eventType && subscription.eventType !== eventType) continue;
				this.send(connection, { id, type: 'event', event });
			}
		}
		return event;
	}

	private matchTriggers(entityId: string, old: HassState | null, next: HassState): void {
		for (const connection of this.connections) {
			if (!connection.authenticated) continue;
			for (const [id, subscription] of connection.subscriptions) {
				if (subscription.kind !== 'trigger') continue;
				subscription.triggers.forEach((trigger, index) => {
					if (!asList(trigger.entity_id).includes(entityId)) return;
					if (old?.state === next.state) return;
					if (trigger.from !== undefined && !asList(trigger.from).includes(old?.state ?? '')) return;
					if (trigger.to !== undefined && !asList(trigger.to).includes(next.state)) return;
					this.send(connection, {
						id,
						type: 'event',
						event: {
							variables: {
								trigger: {
									id: str(trigger.id ?? index),
									idx: String(index),
									alias: null,
									platform: 'state',
									entity_id: entityId,
									from_state: old,
									to_state: next,
									for: null,
									attribute: null,
									description: `state of ${entityId}`,
								},
							},
							context: next.context,
						},
					});
				});
			}
		}
	}

	private callService(
		domain: string,
		service: string,
		data: Record<string, unknown>,
		target: Record<string, unknown> | undefined,
		returnResponse: boolean,
		via: 'rest' | 'websocket',
	): { changed: HassState[]; response: Record<string, unknown> | null } {
		const definition = this.services.get(`${domain}.${service}`);
		if (!definition) throw new ServiceError('not_found', `Action ${domain}.${service} not found.`);
		const supportsResponse = definition.description.response;
		if (supportsResponse && !supportsResponse.optional && !returnResponse) {
			throw new ServiceError(
				'service_validation_error',
				'The action requires responses and must be called with return_response=True',
			);
		}
		if (!supportsResponse && returnResponse) {
			throw new ServiceError(
				'service_validation_error',
				"An action which does not return responses can't be called with return_response=True",
			);
		}
		const allowed = new Set([
			...Object.keys(definition.description.fields),
			'entity_id',
			'device_id',
			'area_id',
		]);
		for (const key of Object.keys(data)) {
			if (!allowed.has(key))
				throw new ServiceError('invalid_format', `extra keys not allowed @ data['${key}']`);
		}
		const entityIds = [...asList(data.entity_id), ...asList(target?.entity_id)];
		const fields = { ...data };
		delete fields.entity_id;
		this.serviceCalls.push({
			domain,
			service,
			data: { ...fields, ...(entityIds.length ? { entity_id: entityIds } : {}) },
			via,
		});
		const before = this.recorded.length;
		const response = definition.run({ data: fields, entityIds, returnResponse }) ?? null;
		return { changed: this.recorded.slice(before), response: returnResponse ? response : null };
	}

	// ---- WebSocket ----------------------------------------------------------------------------------------

	private send(connection: Connection, message: unknown): void {
		if (connection.ws.readyState === connection.ws.OPEN) connection.ws.send(JSON.stringify(message));
	}

	private accept(ws: WebSocket): void {
		this.connectionCount += 1;
		const connection: Connection = {
			id: this.connectionCount,
			ws,
			authenticated: false,
			lastId: 0,
			subscriptions: new Map(),
		};
		this.connections.add(connection);
		ws.on('close', () => this.connections.delete(connection));
		ws.on('error', () => this.connections.delete(connection));
		ws.on('message', (raw) => {
			if (this.mute) return;
			let message: Record<string, unknown>;
			try {
				message = JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : str(raw)) as Record<
					string,
					unknown
				>;
			} catch {
				if (!connection.authenticated) this.authInvalid(connection, 'Auth message incorrectly formatted');
				else
					this.send(connection, {
						id: null,
						type: 'result',
						success: false,
						error: { code: 'invalid_format', message: 'Message incorrectly formatted.' },
					});
				return;
			}
			if (!connection.authenticated) return this.authenticate(connection, message);
			this.received.push({ connection: connection.id, message });
			this.command(connection, message);
		});
		this.send(connection, { type: 'auth_required', ha_version: HA_VERSION });
	}

	private authInvalid(connection: Connection, message: string): void {
		this.send(connection, { type: 'auth_invalid', message });
		connection.ws.close();
	}

	private authenticate(connection: Connection, message: Record<string, unknown>): void {
		if (message.type !== 'auth' || typeof message.access_token !== 'string') {
			return this.authInvalid(
				connection,
				"Auth message incorrectly formatted: required key not provided @ data['access_token']",
			);
		}
		if (message.access_token !== this.token)
			return this.authInvalid(connection, 'Invalid access token or password');
		connection.authenticated = true;
		this.send(connection, { type: 'auth_ok', ha_version: HA_VERSION });
	}

	private command(connection: Connection, message: Record<string, unknown>): void {
		const id = message.id;
		const error = (code: string, text: string) =>
			this.send(connection, { id, type: 'result', success: false, error: { code, message: text } });
		const ok = (result: unknown = null) =>
			this.send(connection, { id, type: 'result', success: true, result });
		if (typeof id !== 'number' || !Number.isInteger(id) || typeof message.type !== 'string') {
			return this.send(connection, {
				id: typeof id === 'number' ? id : null,
				type: 'result',
				success: false,
				error: { code: 'invalid_format', message: 'Message incorrectly formatted.' },
			});
		}
		if (id <= connection.lastId) return error('id_reuse', 'Identifier values have to increase.');
		connection.lastId = id;
		switch (message.type) {
			case 'ping':
				return this.send(connection, { id, type: 'pong' });
			case 'get_states':
				return ok(this.allStates());
			case 'get_config':
				return ok(this.config());
			case 'get_services': {
				const services: Record<string, Record<string, HassService>> = {};
				for (const [name, definition] of this.services) {
					const [domain, service] = name.split('.');
					(services[domain] ??= {})[service] = definition.description;
				}
				return ok(services);
			}
			case 'subscribe_events': {
				if (message.event_type !== undefined && typeof message.event_type !== 'string') {
					return error(
						'invalid_format',
						`Message incorrectly formatted: expected str for dictionary value @ data['event_type']. Got ${JSON.stringify(message.event_type)}`,
					);
				}
				connection.subscriptions.set(id, { kind: 'events', eventType: message.event_type });
				return ok();
			}
			case 'subscribe_trigger': {
				const triggers = (Array.isArray(message.trigger) ? message.trigger : [message.trigger]) as unknown[];
				for (const trigger of triggers) {
					const platform =
						(trigger as { platform?: unknown; trigger?: unknown } | null)?.platform ??
						(trigger as { trigger?: unknown } | null)?.trigger;
					if (platform !== 'state') {
						return error(
							'invalid_format',
							`Invalid trigger 'platform' specified: ${JSON.stringify(platform ?? null)} (this simulator knows "state")`,
						);
					}
					if (
						!asList((trigger as { entity_id?: unknown }).entity_id).every((entity) => ENTITY_ID.test(entity))
					) {
						return error(
							'invalid_format',
							"Entity ID is an invalid entity ID for dictionary value @ data['entity_id']",
						);
					}
				}
				connection.subscriptions.set(id, {
					kind: 'trigger',
					triggers: triggers as Array<Record<string, unknown>>,
				});
				return ok();
			}
			case 'unsubscribe_events': {
				if (!connection.subscriptions.delete(Number(message.subscription)))
					return error('not_found', 'Subscription not found.');
				return ok();
			}
			case 'fire_event': {
				if (typeof message.event_type !== 'string')
					return error('invalid_format', "required key not provided @ data['event_type']");
				const event = this.fire(
					message.event_type,
					(message.event_data as Record<string, unknown>) ?? {},
					context(),
				);
				return ok({ context: event.context });
			}
			case 'call_service': {
				if (typeof message.domain !== 'string' || typeof message.service !== 'string') {
					return error('invalid_format', "required key not provided @ data['domain']");
				}
				try {
					const { response } = this.callService(
						message.domain,
						message.service,
						(message.service_data as Record<string, unknown>) ?? {},
						message.target as Record<string, unknown> | undefined,
						message.return_response === true,
						'websocket',
					);
					return ok({ context: context(), response });
				} catch (failure) {
					if (failure instanceof ServiceError) return error(failure.code, failure.message);
					throw failure;
				}
			}
			default:
				return error('unknown_command', 'Unknown command.');
		}
	}

	// ---- REST ---------------------------------------------------------------------------------------------

	private config(): Record<string, unknown> {
		return {
			latitude: 52.37,
			longitude: 4.89,
			elevation: 0,
			unit_system: { length: 'km', mass: 'g', temperature: '°C', volume: 'L' },
			location_name: 'Simulated Home',
			time_zone: 'UTC',
			components: ['api', 'calendar', 'camera', 'http', 'light', 'notify', 'switch', 'todo', 'websocket_api'],
			config_dir: '/config',
			allowlist_external_dirs: [],
			version: HA_VERSION,
			state: this.coreState,
		};
	}

	private async handleRest(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		const method = request.method ?? 'GET';
		const json = (status: number, body: unknown) => {
			response.writeHead(status, { 'content-type': 'application/json' });
			response.end(JSON.stringify(body));
		};
		const text = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
			response.writeHead(status, { 'content-type': type });
			response.end(body);
		};
		const chunks: Buffer[] = [];
		for await (const chunk of request) chunks.push(chunk as Buffer);
		const rawBody = Buffer.concat(chunks).toString('utf8');

		if (request.headers.authorization !== `Bearer ${this.token}`) return text(401, '401: Unauthorized');
		let body: Record<string, unknown> = {};
		if (rawBody) {
			try {
				body = JSON.parse(rawBody) as Record<string, unknown>;
			} catch {
				return json(400, { message: 'Invalid JSON specified.' });
			}
			if (typeof body !== 'object' || body === null || Array.isArray(body)) {
				return json(400, { message: 'Data should be a JSON object.' });
			}
		}
		const path = url.pathname;
		const segment = (prefix: string) => decodeURIComponent(path.slice(prefix.length));
		const parseTime = (value: string | null, fallback: number): number | undefined => {
			if (value === null || value === '') return fallback;
			const parsed = Date.parse(value);
			return Number.isNaN(parsed) ? undefined : parsed;
		};

		if (method === 'GET' && path === '/api/') return json(200, { message: 'API running.' });
		if (method === 'GET' && path === '/api/config') return json(200, this.config());
		if (method === 'POST' && path === '/api/config/core/check_config') {
			return json(200, {
				result: this.configErrors ? 'invalid' : 'valid',
				errors: this.configErrors,
				warnings: null,
			});
		}
		if (method === 'GET' && path === '/api/states') return json(200, this.allStates());
		if (path.startsWith('/api/states/')) {
			const entityId = segment('/api/states/');
			if (method === 'GET') {
				const state = this.states.get(entityId);
				return state ? json(200, state) : json(404, { message: 'Entity not found.' });
			}
			if (method === 'POST') {
				if (!ENTITY_ID.test(entityId)) return json(400, { message: 'Invalid entity ID specified.' });
				if (body.state === undefined) return json(400, { message: 'No state specified.' });
				const existed = this.states.has(entityId);
				const attributes = body.attributes as Record<string, unknown> | undefined;
				const state = this.setState(entityId, str(body.state), attributes ?? {});
				response.setHeader('location', `/api/states/${entityId}`);
				return json(existed ? 200 : 201, state);
			}
		}
		if (method === 'POST' && path.startsWith('/api/services/')) {
			const [domain, service] = segment('/api/services/').split('/');
			const returnResponse = url.searchParams.has('return_response');
			try {
				const { changed, response: serviceResponse } = this.callService(
					domain,
					service ?? '',
					body,
					undefined,
					returnResponse,
					'rest',
				);
				return json(
					200,
					returnResponse ? { changed_states: changed, service_response: serviceResponse } : changed,
				);
			} catch (failure) {
				if (!(failure instanceof ServiceError)) throw failure;
				// REST answers vol.Invalid and ServiceNotFound with a bare 400; validation errors carry a message.
				if (failure.code === 'service_validation_error') return json(400, { message: failure.message });
				return text(400, '400: Bad Request');
			}
		}
		if (method === 'POST' && path.startsWith('/api/events/')) {
			const eventType = segment('/api/events/');
			this.fireEvent(eventType, body);
			return json(200, { message: `Event ${eventType} fired.` });
		}
		if (method === 'POST' && path === '/api/template') {
			if (typeof body.template !== 'string')
				return json(400, { message: 'Error rendering template: template is missing' });
			try {
				return text(200, renderTemplate(body.template, { state: (id) => this.states.get(id) }));
			} catch (failure) {
				if (failure instanceof TemplateError)
					return json(400, { message: `Error rendering template: ${failure.message}` });
				throw failure;
			}
		}
		if (method === 'GET' && path.startsWith('/api/history/period')) {
			const startRaw = path === '/api/history/period' ? null : segment('/api/history/period/');
			const start = parseTime(startRaw, Date.now() - 86400_000);
			const end = parseTime(url.searchParams.get('end_time'), Date.now() + 1000);
			if (start === undefined) return json(400, { message: 'Invalid datetime' });
			if (end === undefined) return json(400, { message: 'Invalid end_time' });
			const filter = url.searchParams.get('filter_entity_id');
			if (!filter) return json(400, { message: 'filter_entity_id is missing' });
			const minimal = url.searchParams.has('minimal_response');
			const noAttributes = url.searchParams.has('no_attributes');
			const result = asList(filter)
				.map((entityId) => {
					const all = this.recorded.filter((state) => state.entity_id === entityId);
					const atStart = all.filter((state) => Date.parse(state.last_updated) <= start).pop();
					const within = all.filter((state) => {
						const at = Date.parse(state.last_updated);
						return at > start && at <= end;
					});
					return [...(atStart ? [atStart] : []), ...within].map((state, index) => {
						if (minimal && index > 0) return { state: state.state, last_changed: state.last_changed };
						return noAttributes ? { ...state, attributes: {} } : state;
					});
				})
				.filter((list) => list.length > 0);
			return json(200, result);
		}
		if (method === 'GET' && path.startsWith('/api/logbook')) {
			const startRaw = path === '/api/logbook' ? null : segment('/api/logbook/');
			const start = parseTime(startRaw, Date.now() - 86400_000);
			const end = parseTime(url.searchParams.get('end_time'), Date.now() + 1000);
			if (start === undefined || end === undefined) return json(400, { message: 'Invalid datetime' });
			const entity = url.searchParams.get('entity');
			const entries = this.recorded
				.filter((state) => !entity || state.entity_id === entity)
				.filter((state) => {
					const at = Date.parse(state.last_changed);
					return at >= start && at <= end && state.last_changed === state.last_updated;
				})
				.map((state) => ({
					when: state.last_changed,
					state: state.state,
					entity_id: state.entity_id,
					name: str(state.attributes.friendly_name ?? state.entity_id),
					context_id: state.context.id,
				}));
			return json(200, entries);
		}
		if (method === 'GET' && path === '/api/calendars') {
			return json(
				200,
				[...this.states.values()]
					.filter((state) => state.entity_id.startsWith('calendar.'))
					.map((state) => ({
						entity_id: state.entity_id,
						name: str(state.attributes.friendly_name ?? state.entity_id),
					})),
			);
		}
		if (method === 'GET' && path.startsWith('/api/calendars/')) {
			const entityId = segment('/api/calendars/');
			if (!this.calendarEvents.has(entityId)) return json(400, { message: 'Entity not found' });
			const start = url.searchParams.get('start');
			const end = url.searchParams.get('end');
			if (!start || !end) return json(400, { message: 'Expected start and end parameters' });
			const from = Date.parse(start);
			const to = Date.parse(end);
			if (Number.isNaN(from) || Number.isNaN(to)) return json(400, { message: 'Invalid datetime' });
			return json(200, this.eventsBetween(entityId, from, to));
		}
		if (method === 'GET' && path.startsWith('/api/camera_proxy/')) {
			const entityId = segment('/api/camera_proxy/');
			if (!entityId.startsWith('camera.') || !this.states.has(entityId)) return text(404, '404: Not Found');
			response.writeHead(200, { 'content-type': 'image/jpeg' });
			response.end(fakeJpeg(entityId));
			return;
		}
		return text(404, '404: Not Found');
	}
}
