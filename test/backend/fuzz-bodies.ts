// The bodies and seeded random inputs of the backend API fuzz test: bad JSON, wrong shapes, depth, size, NUL
// bytes and unicode, prototype keys, callback targets, hostile job inputs; mutated bodies and random queries.
import type { FuzzCase } from './fuzz-client';
import type { FuzzTarget } from './fuzz-cases';
import {
	deepArrays,
	deepObjects,
	HOSTILE_NUMBERS,
	HOSTILE_STRINGS,
	mutate,
	type Random,
} from './fuzz-values';

export type Submit = (name: string, body: string | Buffer, extra?: Partial<FuzzCase>) => FuzzCase;
export type Get = (name: string, path: string, extra?: Partial<FuzzCase>) => FuzzCase;

/** bodies of POST /v1/jobs: bad JSON, wrong shapes, depth, size, NUL and unicode, prototype keys, callbacks */
export function bodyCases(target: FuzzTarget, submit: Submit): FuzzCase[] {
	const job = (input: unknown, extra: Record<string, unknown> = {}) =>
		JSON.stringify({ type: 'selftest', input, ...extra });
	const texts: Array<[string, string | Buffer]> = [
		['empty', ''],
		['open brace', '{'],
		['null', 'null'],
		['array', '[]'],
		['string', '"selftest"'],
		['number', '1'],
		['trailing comma', '{"type":"selftest","input":{"steps":1},}'],
		['single quotes', "{'type':'selftest','input':{}}"],
		['NaN', '{"type":"selftest","input":{"steps":NaN}}'],
		['1e999', '{"type":"selftest","input":{"steps":1e999}}'],
		['-0', '{"type":"selftest","input":{"steps":-0}}'],
		['BOM', `\ufeff${job({ steps: 1 })}`],
		['two documents', `${job({ steps: 1 })}${job({ steps: 1 })}`],
		['trailing garbage', `${job({ steps: 1 })}garbage`],
		['comment', '{"type":"selftest",/* x */"input":{"steps":1}}'],
		[
			'invalid UTF-8',
			Buffer.concat([
				Buffer.from('{"type":"self'),
				Buffer.from([0xc0, 0xae, 0xff]),
				Buffer.from('test","input":{}}'),
			]),
		],
		['UTF-16', Buffer.from(job({ steps: 1 }), 'utf16le')],
		['raw NUL byte', `{"type":"selftest","input":{"steps":1}}\u0000`],
		['control characters in a string', '{"type":"selftest","input":{"steps":1,"echo":"a\u0001\u001fb"}}'],
		['no type', JSON.stringify({ input: {} })],
		['no input', JSON.stringify({ type: 'selftest' })],
		['input an array', JSON.stringify({ type: 'selftest', input: [] })],
		['input null', JSON.stringify({ type: 'selftest', input: null })],
		['extra field', job({ steps: 1 }, { admin: true })],
		['__proto__ top', '{"__proto__":{"admin":true},"type":"selftest","input":{"steps":1}}'],
		['__proto__ in input', '{"type":"selftest","input":{"__proto__":{"steps":1}}}'],
		[
			'constructor.prototype in input',
			job({ steps: 1, echo: { constructor: { prototype: { polluted: 1 } } } }),
		],
		...[
			'toString',
			'__proto__',
			'constructor',
			'hasOwnProperty',
			'',
			' selftest',
			'selftest\u0000',
			'SELFTEST',
			'x'.repeat(65),
		].map((type): [string, string] => [
			`type ${JSON.stringify(type.slice(0, 20))}`,
			JSON.stringify({ type, input: {} }),
		]),
		['type a number', JSON.stringify({ type: 1, input: {} })],
		['steps a string', job({ steps: '1' })],
		['steps negative', job({ steps: -1 })],
		['steps 2^53', job({ steps: 2 ** 53 })],
		['steps 1.5', job({ steps: 1.5 })],
		['sleepMs over the bound', job({ steps: 1, sleepMs: 600_001 })],
		['echo NUL', job({ steps: 1, echo: 'a\u0000b' })],
		['echo key NUL', job({ steps: 1, echo: { 'a\u0000b': 1 } })],
		['echo lone surrogate', '{"type":"selftest","input":{"steps":1,"echo":"\\ud800"}}'],
		[
			'echo unicode',
			job({ steps: 1, echo: '\u202e\u200b\ufeffZ\u0335\u0336 \u{1f4a5} \u0645\u0631\u062d\u0628\u0627' }),
		],
		['idempotencyKey NUL', job({ steps: 1 }, { idempotencyKey: 'k\u0000' })],
		['idempotencyKey only NUL', job({ steps: 1 }, { idempotencyKey: '\u0000' })],
		['idempotencyKey lone surrogate', '{"type":"selftest","input":{"steps":1},"idempotencyKey":"\\udfff"}'],
		['idempotencyKey empty', job({ steps: 1 }, { idempotencyKey: '' })],
		['idempotencyKey too long', job({ steps: 1 }, { idempotencyKey: 'k'.repeat(201) })],
		['idempotencyKey an object', job({ steps: 1 }, { idempotencyKey: { $gt: '' } })],
		['idempotencyKey SQL', job({ steps: 1 }, { idempotencyKey: "k'); DROP TABLE jobs;--" })],
		...[
			'http://169.254.169.254/latest/meta-data/',
			'http://[::ffff:169.254.169.254]/',
			'http://0xa9fea9fe/',
			'http://2852039166/',
			'http://user:pass@127.0.0.1:1/',
			'file:///etc/passwd',
			'javascript:alert(1)',
			'gopher://127.0.0.1:6379/_INFO',
			'http://',
			`http://127.0.0.1:1/resume?signature=${target.secrets.signature}`,
			`http://127.0.0.1:1/${'p'.repeat(5000)}`,
		].map((url): [string, string] => [
			`callbackUrl ${url.slice(0, 40)}`,
			job({ steps: 1 }, { callbackUrl: url }),
		]),
		['input 33 deep', job(deepObjects(33))],
		['input 1,000 deep', job(deepObjects(1000))],
		['echo 10,000 deep arrays', `{"type":"selftest","input":{"steps":1,"echo":${deepArrays(10_000)}}}`],
		['echo 100,000 deep arrays', `{"type":"selftest","input":{"steps":1,"echo":${deepArrays(100_000)}}}`],
		[
			'echo 30,000 keys',
			job({ steps: 1, echo: Object.fromEntries(Array.from({ length: 30_000 }, (_, i) => [`k${i}`, i])) }),
		],
		['echo 900 KB string', job({ steps: 1, echo: 'x'.repeat(900_000) })],
		['over the body limit', job({ steps: 1, echo: 'x'.repeat(1_100_000) })],
		[
			'provision-vm hostile',
			JSON.stringify({
				type: 'provision-vm',
				input: {
					node: '../etc',
					template: 9000,
					name: 'vm\nname',
					cloudInit: {
						user: 'u',
						ip: '999.999.999.999/99',
						gateway: '10.0.0.1,ip6=dhcp',
						sshKeys: ['ssh-ed25519 AAAA\nrm -rf /'],
						password: target.secrets.password,
					},
					storage: '..',
					pollMs: 1,
				},
			}),
		],
		[
			'provision-vm password only bad',
			JSON.stringify({
				type: 'provision-vm',
				input: {
					node: 'pve1',
					template: 9000,
					name: 'vm1',
					cloudInit: { user: 'u', ip: 'dhcp', password: target.secrets.password },
					cores: 0,
				},
			}),
		],
		// valid: stored, run and failed against the unreachable Proxmox, its password in the store, not the log
		[
			'provision-vm valid with a password',
			JSON.stringify({
				type: 'provision-vm',
				input: {
					node: 'pve1',
					template: 9000,
					name: 'vm1',
					cloudInit: { user: 'u', ip: 'dhcp', password: target.secrets.password },
				},
			}),
		],
		...[
			'constructor',
			'__proto__',
			'toString',
			'../../var/run/docker.sock',
			'unix:///var/run/docker.sock',
		].map((host): [string, string] => [
			`deploy-stack host ${host}`,
			JSON.stringify({
				type: 'deploy-stack',
				input: {
					host,
					project: 'web',
					compose: 'services: {}',
					env: { API_KEY: target.secrets.password },
				},
			}),
		]),
		[
			'deploy-stack env key injection',
			JSON.stringify({
				type: 'deploy-stack',
				input: {
					host: 'lab',
					project: 'web',
					compose: 'services: {}',
					env: { 'A=1\nB': 'x', 'C D': 'y' },
				},
			}),
		],
		[
			'deploy-stack project traversal',
			JSON.stringify({
				type: 'deploy-stack',
				input: {
					host: 'lab',
					project: '../../etc',
					compose: 'services: {}',
				},
			}),
		],
		[
			'deploy-stack YAML bomb',
			JSON.stringify({
				type: 'deploy-stack',
				input: {
					host: 'lab',
					project: 'bomb',
					compose: `a: &a ["x","x","x","x","x","x","x","x","x"]\n${Array.from(
						{ length: 9 },
						(_, i) =>
							`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
								.fill(`*${String.fromCharCode(97 + i)}`)
								.join(',')}]`,
					).join('\n')}\n`,
				},
			}),
		],
		[
			'backup-run hostile',
			JSON.stringify({
				type: 'backup-run',
				input: { node: '$(id)', guests: ['100; reboot'], storage: '../..' },
			}),
		],
	];
	return texts.map(([name, body]) => submit(`body: ${name}`, body));
}

/** percent-encoded; a lone surrogate (which encodeURIComponent refuses) goes as the bytes of U+FFFD */
function queryValue(text: string): string {
	try {
		return encodeURIComponent(text);
	} catch {
		return [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
	}
}

/** seeded random inputs: mutated valid bodies, random job submissions, random list and event queries */
export function randomCases(random: Random, target: FuzzTarget, submit: Submit, get: Get): FuzzCase[] {
	const cases: FuzzCase[] = [];
	const valid = JSON.stringify({
		type: 'selftest',
		input: { steps: 2, sleepMs: 0, echo: { list: [1, 'two', null, true], nested: { a: 'b' } } },
		idempotencyKey: 'fuzz-key',
	});
	for (let i = 0; i < 150; i++) cases.push(submit(`mutated #${i}`, mutate(random, valid)));
	const types = ['selftest', 'provision-vm', 'deploy-stack', 'backup-run', ...HOSTILE_STRINGS.slice(0, 6)];
	for (let i = 0; i < 120; i++) {
		const body: Record<string, unknown> = { type: random.pick(types), input: random.object(3) };
		if (random.chance(0.3)) body.idempotencyKey = random.pick(HOSTILE_STRINGS);
		if (random.chance(0.2))
			body.callbackUrl = random.pick(['http://127.0.0.1:1/cb', 'http://10.0.0.1/x', ...HOSTILE_STRINGS]);
		if (random.chance(0.3))
			(body.input as Record<string, unknown>).steps = random.pick([1, ...HOSTILE_NUMBERS]);
		cases.push(submit(`random job #${i}`, JSON.stringify(body)));
	}
	const params = ['limit', 'status', 'type', 'before', 'after', 'token', '__proto__', 'limit[]'];
	for (let i = 0; i < 60; i++) {
		const query = Array.from(
			{ length: 1 + random.int(3) },
			() =>
				`${random.pick(params)}=${queryValue(random.pick([...HOSTILE_STRINGS, ...HOSTILE_NUMBERS.map(String)]))}`,
		).join('&');
		cases.push(get(`random list #${i}`, `/v1/jobs?${query}`));
	}
	for (let i = 0; i < 30; i++) {
		const value = random.pick([...HOSTILE_NUMBERS.map(String), ...HOSTILE_STRINGS]);
		cases.push(get(`random events #${i}`, `/v1/jobs/${target.jobId}/events?after=${queryValue(value)}`));
	}
	return cases;
}
