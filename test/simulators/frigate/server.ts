// A Frigate NVR HTTP simulator for tests, built from Frigate's API reference (docs.frigate.video/integrations/api,
// the FastAPI app served under /api) and its source (frigate/api/{auth,event,media,review,export,app}.py).
// Two listeners, like a Frigate container:
//   - the internal port (5000 in Frigate): plain HTTP, no authentication;
//   - the authenticated port (8971 in Frigate): HTTPS with a self-signed certificate; `POST /api/login`
//     {user, password} answers 200 with the JWT in the `frigate_token` cookie ("Authentication" docs), every
//     other route answers 401 without a valid token (cookie or `Authorization: Bearer`).
// Errors use Frigate's bodies: {"success": false, "message": "..."} for unknown ids, FastAPI's
// {"detail": "Not Found"} for unknown routes and {"detail": [...]} (422) for query values of the wrong type.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

import { selfSignedCertificate } from '../../helpers/tls';

export interface SimEvent {
	id: string;
	camera: string;
	label: string;
	sub_label: string | null;
	zones: string[];
	start_time: number;
	end_time: number | null;
	has_clip: boolean;
	has_snapshot: boolean;
	retain_indefinitely: boolean;
	top_score: number;
	false_positive: boolean;
	plus_id: string | null;
	thumbnail: string | null;
	data: Record<string, unknown>;
	/**
	 * Epoch ms before which snapshot.jpg answers 404 "Event not found": Frigate's gap between the object leaving
	 * its tracker and the event's end (with its snapshot) reaching the database (api/media.py event_snapshot).
	 */
	snapshotReadyAt?: number;
}

export interface SimReview {
	id: string;
	camera: string;
	start_time: number;
	end_time: number | null;
	has_been_reviewed: boolean;
	severity: 'alert' | 'detection';
	thumb_path: string;
	data: { detections: string[]; objects: string[]; sub_labels: string[]; zones: string[]; audio: string[] };
}

export interface FrigateSimulatorOptions {
	cameras?: string[];
	users?: Record<string, string>;
	/** how long after an event ends its clip becomes available (Frigate waits for the recording segment) */
	clipDelayMs?: number;
}

export interface RequestLogEntry {
	port: 'internal' | 'auth';
	method: string;
	path: string;
	query: Record<string, string>;
	body?: unknown;
	status: number;
}

export interface FrigateSimulator {
	/** the internal, unauthenticated port (http) */
	url: string;
	/** the authenticated port (https, self-signed) */
	authUrl: string;
	cameras: string[];
	events: Map<string, SimEvent>;
	reviews: Map<string, SimReview>;
	exports: Array<Record<string, unknown>>;
	requests: RequestLogEntry[];
	addEvent(partial?: Partial<SimEvent>): SimEvent;
	addReview(partial?: Partial<SimReview>): SimReview;
	endEvent(id: string, endTime?: number): void;
	close(): Promise<void>;
}

const JPEG_START = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
const JPEG_END = Buffer.from([0xff, 0xd9]);

export function fakeJpeg(tag: string): Buffer {
	return Buffer.concat([JPEG_START, Buffer.from(`JFIF ${tag}`), JPEG_END]);
}

export function fakeMp4(tag: string): Buffer {
	const ftyp = Buffer.from([0, 0, 0, 24, ...Buffer.from('ftypisom'), 0, 0, 2, 0, ...Buffer.from('isomiso2')]);
	return Buffer.concat([ftyp, Buffer.from(`mdat ${tag}`)]);
}

export function frigateId(time = Date.now() / 1000): string {
	return `${time.toFixed(6)}-${randomBytes(3).toString('hex')}`;
}

function base64url(data: Buffer | string): string {
	return Buffer.from(data).toString('base64url');
}

class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly body: unknown,
		readonly contentType = 'application/json',
	) {
		super(`HTTP ${status}`);
	}
}

const notFound = () => new HttpError(404, { detail: 'Not Found' });
const failure = (status: number, message: string) => new HttpError(status, { success: false, message });

function parseOptionalNumber(query: URLSearchParams, name: string, integer = false): number | undefined {
	const raw = query.get(name);
	if (raw === null || raw === '') return undefined;
	const value = Number(raw);
	if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
		throw new HttpError(422, {
			detail: [
				{
					type: integer ? 'int_parsing' : 'float_parsing',
					loc: ['query', name],
					msg: `Input should be a valid ${integer ? 'integer' : 'number'}, unable to parse string as ${integer ? 'an integer' : 'a number'}`,
					input: raw,
				},
			],
		});
	}
	return value;
}

/** Frigate's "all" default and comma-separated lists; singular and plural parameter names both work. */
function listParam(query: URLSearchParams, ...names: string[]): string[] | undefined {
	for (const name of names) {
		const raw = query.get(name);
		if (raw && raw !== 'all') return raw.split(',').map((value) => value.trim());
	}
	return undefined;
}

async function readBody(request: http.IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	const text = Buffer.concat(chunks).toString('utf8');
	if (!text) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		throw new HttpError(422, { detail: [{ type: 'json_invalid', loc: ['body'], msg: 'JSON decode error' }] });
	}
}

export async function startFrigateSimulator(
	options: FrigateSimulatorOptions = {},
): Promise<FrigateSimulator> {
	const cameras = options.cameras ?? ['front_door', 'driveway', 'backyard'];
	const users = options.users ?? { admin: 'frigate-admin-pw' };
	const clipDelayMs = options.clipDelayMs ?? 1500;
	const secret = randomBytes(32);
	const events = new Map<string, SimEvent>();
	const reviews = new Map<string, SimReview>();
	const exports: Array<Record<string, unknown>> = [];
	const requests: RequestLogEntry[] = [];
	const started = Date.now() / 1000;

	const sign = (user: string) => {
		const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
		const now = Math.floor(Date.now() / 1000);
		const payload = base64url(JSON.stringify({ sub: user, role: 'admin', exp: now + 86400, iat: now }));
		const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
		return `${header}.${payload}.${signature}`;
	};
	const verify = (token: string | undefined): boolean => {
		if (!token) return false;
		const [header, payload, signature] = token.split('.');
		if (!header || !payload || !signature) return false;
		const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
		const given = Buffer.from(signature, 'base64url');
		if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { exp: number };
		return claims.exp > Date.now() / 1000;
	};
	const tokenOf = (request: http.IncomingMessage): string | undefined => {
		const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '');
		if (bearer) return bearer[1];
		const cookie = /(?:^|;\s*)frigate_token=([^;]+)/.exec(request.headers.cookie ?? '');
		return cookie?.[1];
	};

	const addEvent = (partial: Partial<SimEvent> = {}): SimEvent => {
		const start = partial.start_time ?? Date.now() / 1000;
		const event: SimEvent = {
			id: partial.id ?? frigateId(start),
			camera: cameras[0],
			label: 'person',
			sub_label: null,
			zones: [],
			start_time: start,
			end_time: null,
			has_clip: true,
			has_snapshot: true,
			retain_indefinitely: false,
			top_score: 0.84,
			false_positive: false,
			plus_id: null,
			thumbnail: null,
			data: { type: 'object', score: 0.84, top_score: 0.84, box: [0.1, 0.2, 0.3, 0.4], region: [0, 0, 1, 1] },
			...partial,
		};
		events.set(event.id, event);
		return event;
	};
	const addReview = (partial: Partial<SimReview> = {}): SimReview => {
		const start = partial.start_time ?? Date.now() / 1000;
		const id = partial.id ?? frigateId(start);
		const camera = partial.camera ?? cameras[0];
		const review: SimReview = {
			id,
			camera,
			start_time: start,
			end_time: null,
			has_been_reviewed: false,
			severity: 'alert',
			thumb_path: `/media/frigate/clips/review/thumb-${camera}-${id}.webp`,
			data: { detections: [], objects: ['person'], sub_labels: [], zones: [], audio: [] },
			...partial,
		};
		reviews.set(review.id, review);
		return review;
	};
	/** An event as the API shows it: in the snapshot gap its end is not in the database yet. */
	const apiEvent = ({ snapshotReadyAt, ...event }: SimEvent) =>
		snapshotReadyAt !== undefined && Date.now() < snapshotReadyAt ? { ...event, end_time: null } : event;
	const eventOr404 = (id: string) => {
		const event = events.get(id);
		if (!event) throw failure(404, 'Event not found');
		return event;
	};

	const route = async (
		method: string,
		path: string,
		query: URLSearchParams,
		request: http.IncomingMessage,
		port: 'internal' | 'auth',
	): Promise<{ status?: number; body: unknown; contentType?: string; headers?: Record<string, string> }> => {
		// docs: Auth > Login with credentials
		if (method === 'POST' && path === '/login') {
			const body = (await readBody(request)) as { user?: unknown; password?: unknown } | undefined;
			if (typeof body?.user !== 'string' || typeof body.password !== 'string') {
				throw new HttpError(422, {
					detail: [{ type: 'missing', loc: ['body', 'user'], msg: 'Field required' }],
				});
			}
			if (users[body.user] !== body.password) throw new HttpError(401, { message: 'Login failed' });
			return {
				body: '',
				contentType: 'text/plain',
				headers: { 'set-cookie': `frigate_token=${sign(body.user)}; HttpOnly; Path=/; SameSite=lax` },
			};
		}
		if (port === 'auth' && !verify(tokenOf(request))) {
			// nginx's auth_request in front of Frigate answers 401 with its own HTML page
			throw new HttpError(
				401,
				'<html><head><title>401 Authorization Required</title></head><body><center><h1>401 Authorization Required</h1></center><hr><center>nginx</center></body></html>',
				'text/html',
			);
		}
		const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
		// docs: App
		if (method === 'GET' && path === '/config') {
			return {
				body: {
					mqtt: { enabled: true, host: 'mqtt', topic_prefix: 'frigate' },
					cameras: Object.fromEntries(
						cameras.map((name) => [
							name,
							{
								name,
								enabled: true,
								detect: { enabled: true, width: 1280, height: 720, fps: 5 },
								record: { enabled: true },
								snapshots: { enabled: true },
								zones: { yard: {}, porch: {} },
								objects: { track: ['person', 'car', 'dog'] },
							},
						]),
					),
				},
			};
		}
		if (method === 'GET' && path === '/stats') {
			return {
				body: {
					cameras: Object.fromEntries(
						cameras.map((name) => [
							name,
							{ camera_fps: 5.1, process_fps: 5.1, skipped_fps: 0, detection_fps: 0.4, pid: 100 },
						]),
					),
					detectors: { cpu: { inference_speed: 11.2, detection_start: 0, pid: 90 } },
					service: { uptime: Math.round(Date.now() / 1000 - started), version: '0.16.0-sim', storage: {} },
				},
			};
		}
		// docs: Events
		if (parts[0] === 'events') {
			if (method === 'GET' && parts.length === 1) {
				const camerasWanted = listParam(query, 'cameras', 'camera');
				const labels = listParam(query, 'labels', 'label');
				const zones = listParam(query, 'zones', 'zone');
				const subLabels = listParam(query, 'sub_labels', 'sub_label');
				const after = parseOptionalNumber(query, 'after');
				const before = parseOptionalNumber(query, 'before');
				const hasClip = parseOptionalNumber(query, 'has_clip', true);
				const hasSnapshot = parseOptionalNumber(query, 'has_snapshot', true);
				const inProgress = parseOptionalNumber(query, 'in_progress', true);
				const favorites = parseOptionalNumber(query, 'favorites', true);
				const limit = parseOptionalNumber(query, 'limit', true) ?? 100;
				const matches = [...events.values()]
					.filter((event) => !camerasWanted || camerasWanted.includes(event.camera))
					.filter((event) => !labels || labels.includes(event.label))
					.filter((event) => !subLabels || (event.sub_label !== null && subLabels.includes(event.sub_label)))
					.filter((event) => !zones || event.zones.some((zone) => zones.includes(zone)))
					.filter((event) => after === undefined || event.start_time > after)
					.filter((event) => before === undefined || event.start_time < before)
					.filter((event) => hasClip === undefined || event.has_clip === Boolean(hasClip))
					.filter((event) => hasSnapshot === undefined || event.has_snapshot === Boolean(hasSnapshot))
					.filter((event) => inProgress === undefined || (event.end_time === null) === Boolean(inProgress))
					.filter((event) => !favorites || event.retain_indefinitely)
					.sort((a, b) => b.start_time - a.start_time)
					.slice(0, limit);
				return { body: matches.map(apiEvent) };
			}
			// POST /events/{camera}/{label}/create  (docs: Events > Create Event)
			if (method === 'POST' && parts.length === 4 && parts[3] === 'create') {
				const [, camera, label] = parts;
				if (!cameras.includes(camera)) throw failure(404, `${camera} is not a valid camera.`);
				const body = ((await readBody(request)) ?? {}) as {
					sub_label?: string;
					score?: number;
					duration?: number | null;
					include_recording?: boolean;
				};
				const now = Date.now() / 1000;
				const event = addEvent({
					camera,
					label,
					sub_label: body.sub_label ?? null,
					top_score: body.score ?? 0,
					start_time: now,
					end_time: typeof body.duration === 'number' ? now + body.duration : null,
					has_clip: body.include_recording ?? true,
					data: { type: 'api', score: body.score ?? 0, top_score: body.score ?? 0 },
				});
				return { body: { success: true, message: 'Successfully created event.', event_id: event.id } };
			}
			const id = parts[1];
			if (parts.length === 2) {
				if (method === 'GET') return { body: apiEvent(eventOr404(id)) };
				if (method === 'DELETE') {
					eventOr404(id);
					events.delete(id);
					return { body: { success: true, message: `Event ${id} deleted` } };
				}
			}
			if (parts.length === 3) {
				const action = parts[2];
				if (action === 'sub_label' && method === 'POST') {
					const event = eventOr404(id);
					const body = ((await readBody(request)) ?? {}) as {
						subLabel?: string | null;
						subLabelScore?: number;
					};
					if (body.subLabel && body.subLabel.length > 100) {
						throw failure(400, `${body.subLabel} exceeds the 100 character limit for sub_label`);
					}
					if (body.subLabelScore !== undefined && (body.subLabelScore > 1 || body.subLabelScore < 0)) {
						throw failure(
							400,
							`${body.subLabelScore} does not fit within the expected bounds 0 <= score <= 1.0`,
						);
					}
					event.sub_label = body.subLabel ? body.subLabel : null;
					if (body.subLabelScore !== undefined) event.data.sub_label_score = body.subLabelScore;
					return {
						body: { success: true, message: `Event ${id} sub label set to ${event.sub_label ?? 'None'}` },
					};
				}
				if (action === 'retain' && (method === 'POST' || method === 'DELETE')) {
					const event = eventOr404(id);
					event.retain_indefinitely = method === 'POST';
					return {
						body: { success: true, message: `Event ${id} ${method === 'POST' ? 'retained' : 'un-retained'}` },
					};
				}
				if (action === 'end' && method === 'PUT') {
					const event = eventOr404(id);
					const body = ((await readBody(request)) ?? {}) as { end_time?: number };
					event.end_time = body.end_time ?? Date.now() / 1000;
					return { body: { success: true, message: 'Event successfully ended.' } };
				}
				if (method === 'GET' && action === 'snapshot.jpg') {
					const event = eventOr404(id);
					if (event.snapshotReadyAt !== undefined && Date.now() < event.snapshotReadyAt)
						throw failure(404, 'Event not found');
					if (!event.has_snapshot) throw failure(404, 'Snapshot not available');
					return { body: fakeJpeg(`snapshot ${id}`), contentType: 'image/jpeg' };
				}
				if (method === 'GET' && (action === 'thumbnail.jpg' || action === 'thumbnail.webp')) {
					eventOr404(id);
					return { body: fakeJpeg(`thumbnail ${id}`), contentType: 'image/jpeg' };
				}
				if (method === 'GET' && action === 'clip.mp4') {
					const event = eventOr404(id);
					const readyAt = event.end_time === null ? Infinity : event.end_time * 1000 + clipDelayMs;
					if (!event.has_clip || Date.now() < readyAt) throw failure(404, 'Clip not available');
					return { body: fakeMp4(`clip ${id}`), contentType: 'video/mp4' };
				}
			}
		}
		// docs: Review
		if (method === 'GET' && path === '/review') {
			const camerasWanted = listParam(query, 'cameras');
			const labels = listParam(query, 'labels');
			const zones = listParam(query, 'zones');
			const severity = query.get('severity');
			if (severity && severity !== 'alert' && severity !== 'detection') {
				throw new HttpError(422, {
					detail: [
						{ type: 'enum', loc: ['query', 'severity'], msg: "Input should be 'alert' or 'detection'" },
					],
				});
			}
			const reviewed = parseOptionalNumber(query, 'reviewed', true) ?? 0;
			const after = parseOptionalNumber(query, 'after');
			const before = parseOptionalNumber(query, 'before');
			const limit = parseOptionalNumber(query, 'limit', true) ?? 10000;
			const matches = [...reviews.values()]
				.filter((review) => !camerasWanted || camerasWanted.includes(review.camera))
				.filter((review) => !labels || review.data.objects.some((label) => labels.includes(label)))
				.filter((review) => !zones || review.data.zones.some((zone) => zones.includes(zone)))
				.filter((review) => !severity || review.severity === severity)
				.filter((review) => reviewed === 1 || !review.has_been_reviewed)
				.filter((review) => after === undefined || review.start_time > after)
				.filter((review) => before === undefined || review.start_time < before)
				.sort((a, b) => b.start_time - a.start_time)
				.slice(0, limit);
			return { body: matches };
		}
		if (method === 'POST' && path === '/reviews/viewed') {
			const body = (await readBody(request)) as { ids?: unknown } | undefined;
			if (!Array.isArray(body?.ids)) {
				throw new HttpError(422, {
					detail: [{ type: 'missing', loc: ['body', 'ids'], msg: 'Field required' }],
				});
			}
			const ids = body.ids as string[];
			if (ids.length === 0) throw failure(400, 'Not a valid list of ids');
			for (const id of ids) {
				const review = reviews.get(id);
				if (review) review.has_been_reviewed = true;
			}
			return { body: { success: true, message: 'Reviewed multiple items' } };
		}
		// docs: Media > latest frame
		if (method === 'GET' && parts.length === 2 && /^latest\.(jpg|webp|png)$/.test(parts[1])) {
			if (!cameras.includes(parts[0])) throw failure(404, 'Camera not found');
			return { body: fakeJpeg(`latest ${parts[0]}`), contentType: 'image/jpeg' };
		}
		// docs: Export > export recording
		if (
			method === 'POST' &&
			parts[0] === 'export' &&
			parts.length === 6 &&
			parts[2] === 'start' &&
			parts[4] === 'end'
		) {
			const camera = parts[1];
			if (!cameras.includes(camera)) throw failure(404, `${camera} is not a valid camera.`);
			const start = Number(parts[3]);
			const end = Number(parts[5]);
			if (!Number.isFinite(start) || !Number.isFinite(end)) throw notFound();
			if (end <= start) throw failure(400, 'No recordings found for time range');
			const body = ((await readBody(request)) ?? {}) as { playback?: string; name?: string };
			if (body.playback && body.playback !== 'realtime' && body.playback !== 'timelapse_25x') {
				throw new HttpError(422, {
					detail: [{ type: 'enum', loc: ['body', 'playback'], msg: 'Invalid playback' }],
				});
			}
			const exportId = `${camera}_${randomBytes(3).toString('hex')}`;
			exports.push({
				id: exportId,
				camera,
				start,
				end,
				playback: body.playback ?? 'realtime',
				name: body.name,
			});
			return { body: { success: true, message: 'Starting export of recording.', export_id: exportId } };
		}
		throw notFound();
	};

	const handler =
		(port: 'internal' | 'auth') => (request: http.IncomingMessage, response: http.ServerResponse) => {
			const url = new URL(request.url ?? '/', 'http://frigate');
			const method = request.method ?? 'GET';
			const path = url.pathname.startsWith('/api/') ? url.pathname.slice(4) : url.pathname;
			const entry: RequestLogEntry = {
				port,
				method,
				path,
				query: Object.fromEntries(url.searchParams),
				status: 0,
			};
			requests.push(entry);
			const send = (status: number, body: unknown, contentType = 'application/json', headers = {}) => {
				entry.status = status;
				const payload = Buffer.isBuffer(body)
					? body
					: Buffer.from(contentType === 'application/json' ? JSON.stringify(body) : String(body));
				response.writeHead(status, {
					'content-type': contentType,
					'content-length': payload.length,
					...headers,
				});
				response.end(payload);
			};
			if (!url.pathname.startsWith('/api/')) return send(404, { detail: 'Not Found' });
			route(method, path, url.searchParams, request, port).then(
				(result) => send(result.status ?? 200, result.body, result.contentType, result.headers),
				(error: unknown) => {
					if (error instanceof HttpError) return send(error.status, error.body, error.contentType);
					send(500, { success: false, message: String(error) });
				},
			);
		};

	const internal = http.createServer(handler('internal'));
	const { key, cert } = selfSignedCertificate('localhost');
	const authenticated = https.createServer({ key, cert }, handler('auth'));
	const listen = async (server: http.Server) =>
		await new Promise<number>((resolve) =>
			server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
		);
	const internalPort = await listen(internal);
	const authPort = await listen(authenticated);
	const closeServer = async (server: http.Server) => {
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
	};
	return {
		url: `http://127.0.0.1:${internalPort}`,
		authUrl: `https://127.0.0.1:${authPort}`,
		cameras,
		events,
		reviews,
		exports,
		requests,
		addEvent,
		addReview,
		endEvent: (id, endTime) => {
			const event = events.get(id);
			if (!event) throw new Error(`no event ${id}`);
			event.end_time = endTime ?? Date.now() / 1000;
		},
		close: async () => {
			await closeServer(internal);
			await closeServer(authenticated);
		},
	};
}
