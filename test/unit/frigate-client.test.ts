import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
	FrigateClient,
	normalizeBaseUrl,
	waitForSnapshot,
	type FrigateApiError,
} from '../../clients/frigate';
import { startFrigateSimulator, type FrigateSimulator } from '../simulators/frigate/server';

describe('Frigate client against the Frigate simulator', () => {
	let sim: FrigateSimulator;
	before(async () => {
		sim = await startFrigateSimulator({ clipDelayMs: 300 });
	});
	after(async () => await sim.close());

	it('normalises base URLs with or without /api', () => {
		assert.equal(normalizeBaseUrl('http://frigate:5000/api/').toString(), 'http://frigate:5000/');
		assert.throws(() => normalizeBaseUrl('frigate:5000x'), /http:\/\/ or https:\/\//);
		assert.throws(() => normalizeBaseUrl('not a url'), /not a valid URL/);
	});

	it('lists events with camera/label/zone/time/clip filters and reads one', async () => {
		const now = Date.now() / 1000;
		const a = sim.addEvent({ camera: 'front_door', label: 'person', zones: ['porch'], start_time: now - 50 });
		sim.addEvent({
			camera: 'driveway',
			label: 'car',
			zones: ['yard'],
			start_time: now - 40,
			has_clip: false,
		});
		sim.addEvent({ camera: 'front_door', label: 'dog', start_time: now - 3000 });
		const client = new FrigateClient({ url: `${sim.url}/api`, auth: 'none' });
		const people = await client.listEvents({ camera: ['front_door'], label: ['person'], after: now - 100 });
		assert.deepEqual(
			people.map((event) => event.id),
			[a.id],
		);
		assert.equal(sim.requests.at(-1)?.query.include_thumbnails, '0');
		const byZone = await client.listEvents({ zone: ['yard', 'porch'], after: now - 100 });
		assert.equal(byZone.length, 2);
		const withoutClip = await client.listEvents({ hasClip: false, after: now - 100 });
		assert.deepEqual(
			withoutClip.map((event) => event.label),
			['car'],
		);
		assert.equal((await client.getEvent(a.id)).camera, 'front_door');
		await assert.rejects(client.getEvent('1.0-missing'), (error: FrigateApiError) => {
			assert.equal(error.status, 404);
			assert.equal(error.frigateMessage, 'Event not found');
			return true;
		});
		await assert.rejects(client.getEvent('../config'), /not a valid Frigate event id/);
		client.close();
	});

	it('sets and clears a sub label, retains, deletes', async () => {
		const event = sim.addEvent();
		const client = new FrigateClient({ url: sim.url, auth: 'none' });
		await client.setSubLabel(event.id, 'Alice', 0.93);
		assert.equal(sim.events.get(event.id)?.sub_label, 'Alice');
		await client.clearSubLabel(event.id);
		assert.equal(sim.events.get(event.id)?.sub_label, null);
		await assert.rejects(client.setSubLabel(event.id, 'x', 1.5), /outside 0-1/);
		await client.setRetain(event.id, true);
		assert.equal(sim.events.get(event.id)?.retain_indefinitely, true);
		await client.setRetain(event.id, false);
		assert.equal(sim.events.get(event.id)?.retain_indefinitely, false);
		await client.deleteEvent(event.id);
		assert.equal(sim.events.has(event.id), false);
		client.close();
	});

	it('creates and ends a manual event; the clip is 404 until the event ended plus a delay', async () => {
		const client = new FrigateClient({ url: sim.url, auth: 'none' });
		const created = await client.createEvent('front_door', 'doorbell', { duration: null, subLabel: 'ring' });
		assert.equal(created.success, true);
		await assert.rejects(client.clip(created.event_id), (error: FrigateApiError) => error.status === 404);
		await assert.rejects(
			client.waitForClip(created.event_id, { timeoutMs: 400, intervalMs: 100 }),
			/was not ready within 0 s/,
		);
		await client.endEvent(created.event_id);
		const clip = await client.waitForClip(created.event_id, { timeoutMs: 5000, intervalMs: 100 });
		assert.equal(clip.mimeType, 'video/mp4');
		assert.equal(clip.data.subarray(4, 8).toString(), 'ftyp');
		assert.ok(clip.waitedMs >= 150, `waited ${clip.waitedMs} ms`);
		await assert.rejects(client.waitForClip('1.0-nope', { timeoutMs: 5000 }), /404: Event not found/);
		await assert.rejects(client.createEvent('garage', 'person'), /garage is not a valid camera/);
		client.close();
	});

	it('waits for a snapshot in the gap before the event is saved; an event ended without one fails at once', async () => {
		const client = new FrigateClient({ url: sim.url, auth: 'none' });
		const gap = sim.addEvent({ end_time: Date.now() / 1000, snapshotReadyAt: Date.now() + 600 });
		await assert.rejects(client.snapshot(gap.id), (error: FrigateApiError) => error.status === 404);
		assert.equal((await client.getEvent(gap.id)).end_time, null, 'its end is not saved yet');
		const snapshot = await waitForSnapshot(client, gap.id, {
			timeoutMs: 10_000,
			intervalMs: 100,
			crop: true,
		});
		assert.equal(snapshot.mimeType, 'image/jpeg');
		assert.ok(snapshot.waitedMs >= 400, `waited ${snapshot.waitedMs} ms`);
		assert.equal(sim.requests.at(-1)?.query.crop, '1');

		const none = sim.addEvent({ end_time: Date.now() / 1000, has_snapshot: false });
		const started = Date.now();
		await assert.rejects(
			waitForSnapshot(client, none.id, { timeoutMs: 10_000, intervalMs: 2000 }),
			/404: Snapshot not available: event .* ended without a snapshot \(are snapshots enabled for camera front_door\?\)/,
		);
		assert.ok(Date.now() - started < 1500, 'no waiting for a snapshot that cannot come');

		// bounded: the gap outlasts the timeout; an id Frigate does not know (yet) waits the same way
		const late = sim.addEvent({ end_time: Date.now() / 1000, snapshotReadyAt: Date.now() + 60_000 });
		await assert.rejects(
			waitForSnapshot(client, late.id, { timeoutMs: 400, intervalMs: 100 }),
			/The snapshot of event .* was not ready within 0 s \(.*404: Event not found\)/,
		);
		await assert.rejects(
			waitForSnapshot(client, '1.0-nope', { timeoutMs: 300, intervalMs: 100 }),
			/not ready/,
		);
		// cancellable: an abort ends the wait at once
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 200);
		const cancelled = Date.now();
		await assert.rejects(
			waitForSnapshot(client, late.id, { timeoutMs: 60_000, intervalMs: 5000, signal: controller.signal }),
		);
		assert.ok(Date.now() - cancelled < 2000, `cancel took ${Date.now() - cancelled} ms`);
		client.close();
	});

	it('fetches snapshot, thumbnail and latest frame as bytes', async () => {
		const event = sim.addEvent();
		const client = new FrigateClient({ url: sim.url, auth: 'none' });
		const snapshot = await client.snapshot(event.id, { boundingBox: true });
		assert.equal(snapshot.mimeType, 'image/jpeg');
		assert.equal(snapshot.data[0], 0xff);
		assert.equal(snapshot.fileName, `${event.id}-snapshot.jpg`);
		assert.equal(sim.requests.at(-1)?.query.bbox, '1');
		assert.equal((await client.thumbnail(event.id)).mimeType, 'image/jpeg');
		assert.match((await client.latestFrame('driveway')).data.toString('latin1'), /latest driveway/);
		client.close();
	});

	it('lists review items and marks them reviewed; exports a range; stats and config', async () => {
		const review = sim.addReview({
			camera: 'backyard',
			severity: 'detection',
			data: { detections: [], objects: ['dog'], sub_labels: [], zones: [], audio: [] },
		});
		const client = new FrigateClient({ url: sim.url, auth: 'none' });
		const found = await client.listReviews({ cameras: ['backyard'], severity: 'detection' });
		assert.deepEqual(
			found.map((item) => item.id),
			[review.id],
		);
		await client.markReviewed([review.id]);
		assert.equal((await client.listReviews({ cameras: ['backyard'] })).length, 0);
		assert.equal((await client.listReviews({ cameras: ['backyard'], reviewed: true })).length, 1);
		const exported = await client.exportRecording('front_door', 1000, 1060, { name: 'porch' });
		assert.equal(exported.success, true);
		assert.equal(sim.exports.at(-1)?.name, 'porch');
		assert.ok((await client.stats()).service);
		assert.deepEqual(await client.cameraNames(), ['backyard', 'driveway', 'front_door']);
		client.close();
	});

	it('on the authenticated port: 401 without a token, JWT after login, wrong password named', async () => {
		const anonymous = new FrigateClient({ url: sim.authUrl, auth: 'none', allowSelfSigned: true });
		await assert.rejects(anonymous.stats(), (error: FrigateApiError) => {
			assert.equal(error.status, 401);
			assert.match(error.message, /authentication required/);
			return true;
		});
		const strict = new FrigateClient({
			url: sim.authUrl,
			auth: 'password',
			username: 'admin',
			password: 'frigate-admin-pw',
		});
		await assert.rejects(strict.stats(), /self-signed certificate/);
		const client = new FrigateClient({
			url: sim.authUrl,
			auth: 'password',
			username: 'admin',
			password: 'frigate-admin-pw',
			allowSelfSigned: true,
		});
		assert.ok((await client.stats()).cameras);
		const wrong = new FrigateClient({
			url: sim.authUrl,
			auth: 'password',
			username: 'admin',
			password: 'nope',
			allowSelfSigned: true,
		});
		await assert.rejects(wrong.stats(), /rejected the user name or password/);
		for (const c of [anonymous, strict, client, wrong]) c.close();
	});

	it('names an unreachable Frigate in words', async () => {
		const client = new FrigateClient({ url: 'http://127.0.0.1:1', auth: 'none' });
		await assert.rejects(
			client.stats(),
			/Could not reach Frigate at http:\/\/127.0.0.1:1 \(GET \/api\/stats\): connection refused/,
		);
	});
});
