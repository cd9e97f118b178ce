import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { advance, rfc3339ToNanos, sinceOf, type DockerEvent } from '../../clients/docker/events';

const event = (action: string, id: string): DockerEvent => ({
	type: 'container',
	action,
	id,
	name: null,
	image: null,
	stack: null,
	service: null,
	exitCode: null,
	attributes: {},
	scope: 'local',
	time: '',
	timeNano: 1,
});

describe('Docker events position', () => {
	it('hands over a second event of the same nanosecond, and each only once', () => {
		const start = { timeNano: '0', seenAtTime: [] };
		const nano = 1764942000123456789n;
		const first = advance(start, event('create', 'a'), nano);
		assert.ok(first);
		const second = advance(first, event('attach', 'a'), nano);
		assert.ok(second, 'an event at the same timeNano with another identity is new');
		assert.equal(second.seenAtTime.length, 2);
		assert.equal(advance(second, event('create', 'a'), nano), undefined, 'replayed by an inclusive since');
		assert.equal(advance(second, event('start', 'b'), nano - 1n), undefined, 'older than the position');
		assert.deepEqual(advance(second, event('start', 'a'), nano + 1n), {
			timeNano: String(nano + 1n),
			seenAtTime: [`${nano + 1n}|container|start|a`],
		});
	});

	it('keeps nanoseconds exact where a JavaScript number would round', () => {
		assert.equal(sinceOf(1764942000123456789n), '1764942000.123456789');
		assert.equal(sinceOf(1764942000000000007n), '1764942000.000000007');
		assert.equal(rfc3339ToNanos('2025-12-05T13:40:00.123456789Z'), 1764942000123456789n);
		assert.equal(rfc3339ToNanos('2025-12-05T14:40:00.5+01:00'), 1764942000500000000n);
		assert.throws(() => rfc3339ToNanos('yesterday'), /not an RFC 3339 time/);
	});
});
