import type { FastifyReply, FastifyRequest } from 'fastify';

/** a count or a cursor as a query parameter: decimal digits only, at most 15 of them (a safe integer) */
const DECIMAL = /^\d{1,15}$/;

/**
 * A preValidation hook refusing (400) the named query parameters unless written in plain decimal digits. The
 * schema's type coercion alone takes what Number() takes: 1e3, 0x10, 0b1, +1, " 1" and Infinity (which then reached
 * the store as a limit and answered 500).
 */
export function decimalQuery(...names: string[]) {
	return async (request: FastifyRequest, reply: FastifyReply) => {
		const query = (request.query ?? {}) as Record<string, unknown>;
		for (const name of names) {
			const value = query[name];
			if (value !== undefined && !(typeof value === 'string' && DECIMAL.test(value)))
				return reply.code(400).send({
					error: `?${name} must be a whole number in decimal digits, given once (like ?${name}=10)`,
				});
		}
	};
}
