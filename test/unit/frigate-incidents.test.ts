import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { IncidentGate, type IncidentFilter } from '../../clients/frigate';
import { splitList } from '../../shared/values';
import { eventLifecycle, reviewLifecycle } from '../simulators/frigate/mqtt';

const payloads = (messages: unknown[]) => messages.map((message) => Buffer.from(JSON.stringify(message)));

function emitted(filter: IncidentFilter, messages: unknown[]) {
	const gate = new IncidentGate(filter);
	return payloads(messages)
		.map((payload) => gate.decide(payload))
		.filter((decision) => decision.emit)
		.map((decision) => (decision.emit ? decision.incident : undefined));
}

describe('Frigate incident gate (which MQTT messages become alerts)', () => {
	it('emits one item per review on end, with the final data', () => {
		const messages = [
			...reviewLifecycle({ id: 'r1', objects: ['person', 'car'], zones: ['yard'] }),
			...reviewLifecycle({ id: 'r2' }),
		];
		const out = emitted({ source: 'reviews', emit: 'end' }, messages);
		assert.deepEqual(
			out.map((item) => [item?.id, item?.type]),
			[
				['r1', 'end'],
				['r2', 'end'],
			],
		);
		assert.deepEqual(out[0]?.objects, ['person', 'car']);
		assert.deepEqual(out[0]?.zones, ['yard']);
	});

	it('"once per review id" emits the first matching message, e.g. when a detection escalates to alert', () => {
		const messages = reviewLifecycle({ id: 'r3', severity: 'detection', escalateTo: 'alert' });
		const any = emitted({ source: 'reviews', emit: 'first' }, messages);
		assert.deepEqual(
			any.map((item) => item?.type),
			['new'],
		);
		const alerts = emitted({ source: 'reviews', emit: 'first', severity: 'alert' }, messages);
		assert.deepEqual(
			alerts.map((item) => [item?.type, item?.severity]),
			[['update', 'alert']],
		);
	});

	it('drops redelivered duplicates (QoS 1 after reconnect)', () => {
		const messages = reviewLifecycle({ id: 'r4' });
		const out = emitted({ source: 'reviews', emit: 'every' }, [...messages, ...messages]);
		assert.equal(out.length, 3);
	});

	it('filters events by camera, label, zone, minimum score and type; false positives never pass', () => {
		const person = eventLifecycle({
			id: 'e1',
			camera: 'driveway',
			label: 'person',
			zones: ['yard'],
			score: 0.9,
		});
		const cat = eventLifecycle({ id: 'e2', camera: 'driveway', label: 'cat', score: 0.9 });
		const weak = eventLifecycle({
			id: 'e3',
			camera: 'driveway',
			label: 'person',
			zones: ['yard'],
			score: 0.5,
		});
		const elsewhere = eventLifecycle({
			id: 'e4',
			camera: 'front_door',
			label: 'person',
			zones: ['yard'],
			score: 0.9,
		});
		const falsePositive = eventLifecycle({
			id: 'e5',
			camera: 'driveway',
			label: 'person',
			zones: ['yard'],
			score: 0.9,
		});
		falsePositive[2].after.false_positive = true;
		const out = emitted(
			{
				source: 'events',
				emit: 'every',
				types: ['update', 'end'],
				cameras: ['Driveway'],
				labels: ['person'],
				zones: ['yard'],
				minScore: 0.7,
			},
			[...person, ...cat, ...weak, ...elsewhere, ...falsePositive],
		);
		assert.deepEqual(
			out.map((item) => `${item?.id}:${item?.type}`),
			['e1:update', 'e1:end', 'e5:update'],
		);
		assert.equal(out[1]?.label, 'person');
		assert.equal(out[1]?.score, 0.9);
	});

	it('ignores what is not a Frigate message', () => {
		const gate = new IncidentGate({ source: 'events', emit: 'every' });
		assert.deepEqual(gate.decide('online'), { emit: false, reason: 'payload is not JSON' });
		assert.equal(gate.decide('{"type":"end"}').emit, false);
		assert.deepEqual(splitList(' a, b,,c '), ['a', 'b', 'c']);
	});
});
