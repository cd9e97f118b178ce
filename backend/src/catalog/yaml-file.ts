import { readFileSync } from 'node:fs';
import path from 'node:path';

import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';

import type { CatalogProblem } from './problems';

export type YamlPath = Array<string | number>;

/** A parsed YAML file of the catalog that still knows where each value is written. */
export interface YamlFile {
	/** relative to the catalog root, with "/" separators: what messages show */
	file: string;
	absolute: string;
	text: string;
	doc: Document;
	counter: LineCounter;
	data: unknown;
}

export interface Position {
	line?: number;
	column?: number;
}

/**
 * Reads and parses one YAML file; syntax errors (bad indentation, duplicate keys, tabs, ...) become problems with
 * their position and the file is returned as undefined.
 */
export function readYamlFile(
	root: string,
	relative: string,
	problems: CatalogProblem[],
): YamlFile | undefined {
	const absolute = path.join(root, relative);
	const file = relative.split(path.sep).join('/');
	let text: string;
	try {
		text = readFileSync(absolute, 'utf8');
	} catch {
		problems.push({ file, message: 'cannot be read', hint: `Check that ${file} exists and is readable` });
		return undefined;
	}
	const counter = new LineCounter();
	const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: true });
	if (doc.errors.length) {
		for (const error of doc.errors) {
			const at = error.linePos?.[0];
			problems.push({
				file,
				line: at?.line,
				column: at?.col,
				message: `is not valid YAML: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
				hint: 'Fix the YAML syntax: indent with spaces, write "key: value", lists with "- ", each key once',
			});
		}
		return undefined;
	}
	return { file, absolute, text, doc, counter, data: doc.toJS({ maxAliasCount: 100 }) as unknown };
}

/** Where the value at `path` is written; with `key`, where its key is (for unknown-key errors). */
export function positionOf(yaml: YamlFile, at: YamlPath, key = false): Position {
	let node: unknown = yaml.doc.getIn(at, true);
	if (key && at.length) {
		const parent = at.length > 1 ? yaml.doc.getIn(at.slice(0, -1), true) : yaml.doc.contents;
		if (isMap(parent)) {
			const pair = parent.items.find(
				(item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(at[at.length - 1]),
			);
			if (pair && isNode(pair.key)) node = pair.key;
		}
	}
	// fall back to the closest enclosing node that exists (e.g. the object a required key is missing from)
	for (let depth = at.length - 1; !(isNode(node) && node.range) && depth >= 0; depth--)
		node = depth === 0 ? yaml.doc.contents : yaml.doc.getIn(at.slice(0, depth), true);
	if (isNode(node) && node.range) {
		const { line, col } = yaml.counter.linePos(node.range[0]);
		return { line, column: col };
	}
	return {};
}

export function problemAt(
	yaml: YamlFile,
	at: YamlPath,
	message: string,
	hint: string,
	key = false,
): CatalogProblem {
	return { file: yaml.file, ...positionOf(yaml, at, key), message, hint };
}
