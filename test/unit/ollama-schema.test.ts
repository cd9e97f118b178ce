import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseStructured, schemaFromFields, validateAgainstSchema } from '../../clients/ollama';

describe('structured output validation', () => {
	const schema = {
		type: 'object',
		properties: {
			name: { type: 'string', minLength: 2 },
			age: { type: 'integer', minimum: 0, maximum: 150 },
			tags: { type: 'array', items: { type: 'string' }, maxItems: 2 },
			level: { type: 'string', enum: ['low', 'high'] },
		},
		required: ['name', 'age'],
		additionalProperties: false,
	};

	it('accepts a conforming value', () => {
		assert.deepEqual(validateAgainstSchema({ name: 'Al', age: 3, tags: ['a'], level: 'low' }, schema), []);
	});

	it('lists every problem with its JSON path', () => {
		assert.deepEqual(
			validateAgainstSchema({ name: 'A', age: 2.5, tags: ['a', 1, 'c'], level: 'mid', extra: true }, schema),
			[
				'$.name: shorter than 2 characters',
				'$.age: expected integer, got number',
				'$.tags: more than 2 items',
				'$.tags[1]: expected string, got integer',
				'$.level: "mid" is not one of ["low","high"]',
				'$: unexpected property "extra"',
			],
		);
		assert.deepEqual(validateAgainstSchema({ age: -1 }, schema), [
			'$: missing required property "name"',
			'$.age: -1 is below the minimum 0',
		]);
	});

	it('parses JSON (also inside a ```json fence) and reports what is not JSON', () => {
		assert.deepEqual(parseStructured('```json\n{"name": "Al", "age": 1}\n```', schema), {
			ok: true,
			value: { name: 'Al', age: 1 },
		});
		const bad = parseStructured('{"name": ', schema);
		assert.equal(bad.ok, false);
		assert.match(bad.ok ? '' : bad.problems[0], /^not valid JSON/);
	});

	it('builds a strict object schema from field definitions', () => {
		assert.deepEqual(
			schemaFromFields([
				{ name: 'summary', type: 'string', description: 'one line' },
				{ name: 'priority', type: 'string', enumValues: 'low, high' },
				{ name: 'hosts', type: 'stringArray', required: false },
			]),
			{
				type: 'object',
				properties: {
					summary: { type: 'string', description: 'one line' },
					priority: { type: 'string', enum: ['low', 'high'] },
					hosts: { type: 'array', items: { type: 'string' } },
				},
				required: ['summary', 'priority'],
				additionalProperties: false,
			},
		);
		assert.throws(() => schemaFromFields([]), /at least one output field/);
		assert.throws(
			() =>
				schemaFromFields([
					{ name: 'a', type: 'string' },
					{ name: 'a', type: 'number' },
				]),
			/defined twice/,
		);
	});
});
