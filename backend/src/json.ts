/** Walks over parsed JSON without recursion: a hostile input nested thousands deep must not overflow the stack. */

const isObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null;

/** How deep and how big a JSON value is, counted without recursion; stops counting past the limits. */
export function jsonShape(value: unknown, limits: { depth: number; nodes: number }) {
	let depth = 0;
	let nodes = 0;
	const stack: Array<[unknown, number]> = [[value, 0]];
	while (stack.length && depth <= limits.depth && nodes <= limits.nodes) {
		const [current, level] = stack.pop()!;
		nodes++;
		depth = Math.max(depth, level);
		if (isObject(current)) for (const inner of Object.values(current)) stack.push([inner, level + 1]);
	}
	return { depth, nodes, withinLimits: depth <= limits.depth && nodes <= limits.nodes };
}

/** Deep equality of two JSON values (object key order ignored), without recursion. */
export function jsonEqual(left: unknown, right: unknown): boolean {
	const stack: Array<[unknown, unknown]> = [[left, right]];
	while (stack.length) {
		const [a, b] = stack.pop()!;
		if (!isObject(a) || !isObject(b)) {
			if (a !== b) return false;
			continue;
		}
		if (Array.isArray(a) !== Array.isArray(b)) return false;
		const keys = Object.keys(a);
		if (keys.length !== Object.keys(b).length) return false;
		for (const key of keys) {
			if (!Object.hasOwn(b, key)) return false;
			stack.push([a[key], b[key]]);
		}
	}
	return true;
}
