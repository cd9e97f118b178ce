// The one abortable sleep and the one deadline every client, node and the backend's engine use, and the two
// text readers (exact for secrets, trimmed for names and ids, comma lists).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { NoAnswerError, sleep, withTimeout } from '../../shared/timing';
import { asText, asTrimmedText, splitList } from '../../shared/values';

describe('sleep', () => {
	it('stops waiting the moment its signal aborts, with the reason of the abort', async () => {
		const controller = new AbortController();
		const started = Date.now();
		setTimeout(() => controller.abort(new Error('cancelled by the user')), 20);
		await assert.rejects(sleep(60_000, controller.signal), /cancelled by the user/);
		assert.ok(Date.now() - started < 5000, 'the 60 s wait ended with the abort');
	});

	it('rejects at once when the signal is already aborted, naming a reason that is no Error', async () => {
		const controller = new AbortController();
		controller.abort('shutdown');
		await assert.rejects(sleep(60_000, controller.signal), /aborted: shutdown/);
	});

	it('resolves after the time when nothing aborts, and leaves no listener on the signal', async () => {
		const controller = new AbortController();
		let listeners = 0;
		const signal = controller.signal;
		const add = signal.addEventListener.bind(signal);
		const remove = signal.removeEventListener.bind(signal);
		signal.addEventListener = ((...args: Parameters<typeof add>) => (
			listeners++,
			add(...args)
		)) as typeof add;
		signal.removeEventListener = ((...args: Parameters<typeof remove>) => (
			listeners--,
			remove(...args)
		)) as typeof remove;
		await sleep(5, signal);
		assert.equal(listeners, 0);
	});
});

describe('withTimeout', () => {
	it('rejects work that gives no answer with NoAnswerError (code ETIMEOUT) and aborts its signal', async () => {
		let workSignal: AbortSignal | undefined;
		const error = await withTimeout(
			async (signal) => {
				workSignal = signal;
				return await new Promise<never>(() => undefined);
			},
			{ ms: 20, what: 'NOOP' },
		).then(
			() => undefined,
			(reason: unknown) => reason,
		);
		assert.ok(error instanceof NoAnswerError);
		assert.equal(error.code, 'ETIMEOUT');
		assert.match(error.message, /NOOP got no answer within 20 ms/);
		assert.equal(workSignal?.aborted, true);
	});

	it('gives the answer of work that finishes in time', async () => {
		assert.equal(await withTimeout(async () => 42, { ms: 1000, what: 'answer' }), 42);
	});

	it('waits out the grace so cut work can settle, and reports the cut, not what the work threw', async () => {
		let settled = false;
		const error = await withTimeout(
			async (signal) =>
				await new Promise<never>((_resolve, reject) =>
					signal.addEventListener('abort', () =>
						setTimeout(() => {
							settled = true;
							reject(new Error('interrupted while writing'));
						}, 30),
					),
				),
			{ ms: 10, what: 'step', timeoutError: () => new Error('step took too long'), graceMs: 5000 },
		).then(
			() => undefined,
			(reason: unknown) => reason as Error,
		);
		assert.equal(settled, true, 'rejected only after the work settled');
		assert.equal(error?.message, 'step took too long');
	});

	it('does not wait longer than the grace for work that ignores its signal', async () => {
		const started = Date.now();
		await assert.rejects(
			withTimeout(async () => await new Promise<never>(() => undefined), {
				ms: 10,
				what: 'stubborn',
				graceMs: 30,
			}),
			/stubborn got no answer/,
		);
		assert.ok(Date.now() - started < 5000);
	});

	it('is cut short by an outer signal with that signal’s reason', async () => {
		const controller = new AbortController();
		setTimeout(() => controller.abort(new Error('job cancelled')), 10);
		await assert.rejects(
			withTimeout(async () => await new Promise<never>(() => undefined), {
				ms: 60_000,
				what: 'step',
				signal: controller.signal,
			}),
			/job cancelled/,
		);
	});
});

describe('text readers', () => {
	it('asText keeps a value exactly (a password may end in a space); asTrimmedText trims names', () => {
		assert.equal(asText(' secret '), ' secret ');
		assert.equal(asText(101), '101');
		assert.equal(asText(true), 'true');
		assert.equal(asText(undefined), '');
		assert.equal(asText({ value: 'x' }), '');
		assert.equal(asTrimmedText(' pve1 '), 'pve1');
		assert.equal(asTrimmedText(null), '');
	});

	it('splitList reads "a, b,,c" as its trimmed entries and anything but text as no entries', () => {
		assert.deepEqual(splitList(' light.kitchen, light.hall ,,'), ['light.kitchen', 'light.hall']);
		assert.deepEqual(splitList(undefined), []);
		assert.deepEqual(splitList({ entity: 'x' }), []);
	});
});
