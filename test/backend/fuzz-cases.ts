// The hostile inputs of the backend API fuzz test: fixed cases for each known class of abuse (methods, framing,
// paths, queries, headers, bodies) and seeded random ones (mutated JSON, random job submissions and queries), so
// a failure is reproduced by running again with the seed the test printed.
import type { FuzzCase } from './fuzz-client';
import { bodyCases, randomCases } from './fuzz-bodies';
import type { Random } from './fuzz-values';

export interface FuzzTarget {
	token: string;
	/** a job that exists */
	jobId: string;
	/** secrets planted in inputs, queries and headers: none may reach the log */
	secrets: { password: string; query: string; signature: string; wrongToken: string };
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'M-SEARCH'];
const MISSING = '00000000-0000-4000-8000-000000000000';
const JSON_TYPE: [string, string] = ['Content-Type', 'application/json'];

function routes(jobId: string): string[] {
	return [
		'/healthz',
		'/v1/info',
		'/v1/job-types',
		'/openapi.json',
		'/metrics',
		'/v1/jobs',
		`/v1/jobs/${jobId}`,
		`/v1/jobs/${jobId}/cancel`,
		`/v1/jobs/${jobId}/events`,
		`/v1/jobs/${MISSING}`,
		'/no/such/route',
	];
}

export function fuzzCases(random: Random, target: FuzzTarget): FuzzCase[] {
	const auth: [string, string] = ['Authorization', `Bearer ${target.token}`];
	const get = (name: string, path: string, extra: Partial<FuzzCase> = {}): FuzzCase => ({
		name,
		method: 'GET',
		target: path,
		headers: [auth],
		...extra,
	});
	const submit = (name: string, body: string | Buffer, extra: Partial<FuzzCase> = {}): FuzzCase => ({
		name,
		method: 'POST',
		target: '/v1/jobs',
		headers: [auth, JSON_TYPE],
		body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
		...extra,
	});
	const cases: FuzzCase[] = [];

	// every method on every route, with and without the token (CONNECT has no route to reach: 405)
	for (const path of routes(target.jobId))
		for (const method of METHODS)
			for (const withToken of [true, false])
				cases.push({
					name: `${method} ${path}${withToken ? '' : ' (no token)'}`,
					method,
					target: path,
					headers: withToken ? [auth] : [],
				});
	for (const path of ['/v1/jobs', '127.0.0.1:8787', 'example.com:443', '169.254.169.254:80'])
		cases.push({ name: `CONNECT ${path}`, method: 'CONNECT', target: path, headers: [auth], expect: 405 });
	for (const method of ['FOO', 'get', 'G ET', 'GET\u0000', 'CONNECTX'])
		cases.push({ name: `method ${JSON.stringify(method)}`, method, target: '/v1/info', headers: [auth] });

	// numbers in queries: only plain decimal digits are numbers (no 1e3, 0x10, -1, 1.5, " 1")
	for (const value of [
		'1e3',
		'0x10',
		'0b1',
		'0o7',
		'-1',
		'1.5',
		'+1',
		'%201',
		'1%00',
		'Infinity',
		'NaN',
		'',
		'1,2',
	])
		for (const name of ['after', 'limit']) {
			const path = name === 'after' ? `/v1/jobs/${target.jobId}/events` : '/v1/jobs';
			cases.push(get(`?${name}=${value}`, `${path}?${name}=${value}`, { expect: 400 }));
		}
	for (const query of [
		'after=5',
		'after=99999999999999999999',
		'after=1&after=2',
		'after[]=1',
		'after[0]=1',
		'x=1',
	])
		cases.push(get(`events ?${query}`, `/v1/jobs/${target.jobId}/events?${query}`));
	for (const query of [
		'limit=0',
		'limit=501',
		'limit=1&limit=2',
		'status=bogus',
		'status=%00',
		'status=queued&status=failed',
		'type=%00',
		`type=${'t'.repeat(65)}`,
		'type=%F0%9F%92%A5',
		'type=%ED%A0%80',
		'before=not-a-date',
		'before=2026-13-45T99:99:99Z',
		'before=%00',
		'unknown=1',
		'__proto__[x]=1',
		'constructor=1',
		`token=${target.secrets.query}`,
		`api_key=${target.secrets.query}&limit=1`,
		'%=%',
		'&&&&',
		`limit=1&${'a=1&'.repeat(2000)}`,
	])
		cases.push(get(`list ?${query.slice(0, 40)}`, `/v1/jobs?${query}`));

	// paths: traversal, encodings, NUL, unicode, case
	for (const path of [
		'/v1/jobs/../info',
		'/v1/jobs/%2e%2e/info',
		'/v1/jobs/..%2finfo',
		'/v1/jobs/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
		'/%2e%2e/%2e%2e/etc/passwd',
		'/v1/jobs/%c0%ae%c0%ae/info',
		`/v1/jobs/${target.jobId}%00`,
		`/v1/jobs/${target.jobId}/../../info`,
		`/v1/jobs/${target.jobId.toUpperCase()}`,
		`/v1/jobs/${target.jobId}/`,
		`/v1/jobs/${target.jobId}/events/`,
		'/v1/jobs/%00',
		'/v1/jobs/\u00e9',
		'/v1/jobs/%ff%fe',
		'/v1/jobs/%',
		'/v1/jobs/%zz',
		'//v1/jobs',
		'/v1//jobs',
		'/V1/JOBS',
		'/v1/jobs;x=1',
		'/v1/jobs#frag',
		'/v1/jobs\\..\\info',
		`/v1/jobs/${'a'.repeat(36)}`,
		`/v1/jobs/${'-'.repeat(36)}`,
		`/v1/jobs/${'f'.repeat(8000)}`,
		'/healthz/../v1/info',
		'/healthz%3F/../v1/jobs',
		'/healthz?/../../v1/jobs',
		'*',
		'http://169.254.169.254/latest/meta-data/',
		'http://127.0.0.1/v1/info',
	])
		cases.push(get(`path ${path.slice(0, 50)}`, path));
	cases.push({ name: 'OPTIONS *', method: 'OPTIONS', target: '*', headers: [auth] });

	// headers: the token's forms, framing, sizes, bytes the parser must refuse
	const headerCases: Array<[string, Array<[string, string]>, Partial<FuzzCase>?]> = [
		['no authorization', []],
		['empty bearer', [['Authorization', 'Bearer ']]],
		['bearer alone', [['Authorization', 'Bearer']]],
		['lower-case scheme', [['Authorization', `bearer ${target.token}`]]],
		['token with a trailing space', [['Authorization', `Bearer ${target.token} `]]],
		['token twice', [['Authorization', `Bearer ${target.token} ${target.token}`]]],
		['wrong token', [['Authorization', `Bearer ${target.secrets.wrongToken}`]]],
		['basic', [['Authorization', `Basic ${Buffer.from(`admin:${target.token}`).toString('base64')}`]]],
		['two authorizations', [['Authorization', `Bearer ${target.secrets.wrongToken}`], auth]],
		['token prefix', [['Authorization', `Bearer ${target.token.slice(0, 32)}`]]],
		['NUL in token', [['Authorization', `Bearer ${target.token.slice(0, 10)}\u0000`]]],
		['NUL in a header', [auth, ['X-Test', 'a\u0000b']]],
		['CR in a header', [auth, ['X-Test', 'a\rb']]],
		['header folding', [auth, ['X-Test', 'a\r\n  folded']]],
		['space in a header name', [auth, ['X Test', '1']]],
		['colon-less header line', [auth, ['X-Test', '1\r\nno-colon-here']]],
		['latin1 bytes', [auth, ['X-Test', '\u00ff\u00fe\u0080']]],
		['huge header', [auth, ['X-Huge', 'x'.repeat(20_000)]]],
		['many headers', [auth, ...Array.from({ length: 300 }, (_, i): [string, string] => [`X-H${i}`, 'v'])]],
		['x-request-id too long', [auth, ['X-Request-Id', 'r'.repeat(5000)]]],
		['x-request-id with spaces', [auth, ['X-Request-Id', 'a b c']]],
		['x-request-id injection', [auth, ['X-Request-Id', '"}{"level":60,"msg":"forged']]],
		['x-request-id unicode', [auth, ['X-Request-Id', '\u00e9\u00e8']]],
		['x-request-id twice', [auth, ['X-Request-Id', 'one'], ['X-Request-Id', 'two']]],
		['no host', [auth, ['Host', '']]],
		['two hosts', [auth, ['Host', 'a.example'], ['Host', 'b.example']]],
		['evil host', [auth, ['Host', '169.254.169.254']]],
		['long host', [auth, ['Host', 'h'.repeat(4000)]]],
		['x-forwarded-for spoof', [auth, ['X-Forwarded-For', '127.0.0.1, 10.0.0.1'], ['X-Real-IP', '::1']]],
		['accept-encoding', [auth, ['Accept-Encoding', 'gzip, br, zstd, *;q=0']]],
		['accept odd', [auth, ['Accept', 'application/xml, */*;q=abc']]],
		['range', [auth, ['Range', 'bytes=0-1,5-']]],
		['upgrade', [auth, ['Upgrade', 'websocket'], ['Connection', 'Upgrade']]],
		['upgrade h2c', [auth, ['Upgrade', 'h2c'], ['HTTP2-Settings', 'AAMAAABkAARAAAAAAAIAAAAA']]],
		[
			'content-length on GET',
			[auth, ['Content-Length', '5']],
			{ body: Buffer.from('hello'), contentLength: false },
		],
	];
	for (const [name, headers, extra] of headerCases)
		cases.push({ name: `header: ${name}`, method: 'GET', target: '/v1/info', headers, ...extra });
	for (const id of ['-1', '1e3', '0x10', '', 'abc', '9'.repeat(20), '1 2', '5', '\u0000'])
		cases.push(
			get(`Last-Event-ID ${JSON.stringify(id)}`, `/v1/jobs/${target.jobId}/events`, {
				headers: [auth, ['Last-Event-ID', id]],
				...(/^\d{1,15}$/.test(id) ? {} : { expect: 400 }),
			}),
		);
	// framing of a body: lengths that lie or contradict, chunked done wrong
	const valid = JSON.stringify({ type: 'selftest', input: { steps: 1 } });
	const framing: Array<[string, Array<[string, string]>, string]> = [
		['negative length', [['Content-Length', '-1']], valid],
		['length not a number', [['Content-Length', 'abc']], valid],
		[
			'two lengths',
			[
				['Content-Length', '3'],
				['Content-Length', String(valid.length)],
			],
			valid,
		],
		[
			'length and chunked',
			[
				['Content-Length', '3'],
				['Transfer-Encoding', 'chunked'],
			],
			`3\r\n{}\n\r\n0\r\n\r\n`,
		],
		['chunk size not hex', [['Transfer-Encoding', 'chunked']], 'zz\r\n{}\r\n0\r\n\r\n'],
		['chunked gzip', [['Transfer-Encoding', 'gzip, chunked']], '2\r\n{}\r\n0\r\n\r\n'],
		[
			'chunked body',
			[['Transfer-Encoding', 'chunked']],
			`${valid.length.toString(16)}\r\n${valid}\r\n0\r\n\r\n`,
		],
		['length shorter than body', [['Content-Length', '5']], valid],
		['length longer than body', [['Content-Length', String(valid.length + 50)]], valid],
		['huge length, no body', [['Content-Length', '99999999999999999999']], ''],
	];
	for (const [name, headers, body] of framing)
		cases.push(
			submit(`framing: ${name}`, body, { headers: [auth, JSON_TYPE, ...headers], contentLength: false }),
		);
	for (const type of [
		'text/plain',
		'application/x-www-form-urlencoded',
		'multipart/form-data; boundary=x',
		'application/json; charset=utf-16',
		'application/json; charset=latin1',
		'application/JSON',
		'application/json\u0000',
		'application/xml',
		'',
		`application/json; ${'p=1; '.repeat(500)}`,
	])
		cases.push(
			submit(`content-type ${JSON.stringify(type.slice(0, 40))}`, valid, {
				headers: [auth, ['Content-Type', type]],
			}),
		);
	cases.push(submit('gzip that is not', valid, { headers: [auth, JSON_TYPE, ['Content-Encoding', 'gzip']] }));
	cases.push(
		submit('expect 100-continue', valid, { headers: [auth, JSON_TYPE, ['Expect', '100-continue']] }),
	);
	cases.push(submit('expect nonsense', valid, { headers: [auth, JSON_TYPE, ['Expect', 'the-unexpected']] }));
	cases.push({ ...get('HTTP/1.0', '/v1/info'), target: '/v1/info HTTP/1.0\r\nX-Ignore:' });
	cases.push({ ...get('HTTP/2.0 request line', '/v1/info'), target: '/v1/info HTTP/2.0\r\nX-Ignore:' });
	cases.push({ ...get('HTTP/9.9 request line', '/v1/info'), target: '/v1/info HTTP/9.9\r\nX-Ignore:' });

	cases.push(...bodyCases(target, submit));
	cases.push(...randomCases(random, target, submit, get));
	return cases;
}
