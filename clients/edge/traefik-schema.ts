// A subset of Traefik's dynamic-configuration schema for the file provider: the parts this adapter writes (HTTP
// routers and load-balancer services) checked strictly, every other documented top-level section accepted by
// name. Sources: https://doc.traefik.io/traefik/reference/dynamic-configuration/file/ and the published JSON
// schema https://json.schemastore.org/traefik-v3-file-provider.json (definitions httpRouter, httpService,
// httpLoadBalancerService, routerTls). Traefik decodes files strictly: an unknown key anywhere ("field not
// found, node: ...") or a wrong type makes it drop the configuration of the WHOLE file provider, every route in
// every file (traefik#8921, #10890). So nothing is written that this check rejects.

type Errors = string[];

const isObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

function allowOnly(value: Record<string, unknown>, allowed: string[], where: string, errors: Errors): void {
	for (const key of Object.keys(value)) {
		if (!allowed.includes(key)) errors.push(`${where}: unknown field "${key}" (Traefik: field not found)`);
	}
}

function stringArray(value: unknown, where: string, errors: Errors): void {
	if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item.trim() === '')) {
		errors.push(`${where}: expected a list of non-empty strings`);
	}
}

const ROUTER_FIELDS = [
	'entryPoints',
	'middlewares',
	'service',
	'rule',
	'ruleSyntax',
	'priority',
	'tls',
	'observability',
];
const ROUTER_TLS_FIELDS = ['options', 'certResolver', 'domains'];
const SERVICE_KINDS = ['loadBalancer', 'weighted', 'mirroring', 'failover'];
const LOAD_BALANCER_FIELDS = [
	'servers',
	'sticky',
	'healthCheck',
	'passHostHeader',
	'responseForwarding',
	'serversTransport',
	'strategy',
];
const SERVER_FIELDS = ['url', 'weight', 'preservePath'];

/** Backticks paired and parentheses balanced outside them: what Traefik's rule parser needs to even start. */
export function ruleSyntaxError(rule: string): string | undefined {
	let depth = 0;
	let inQuote = false;
	for (const char of rule) {
		if (char === '`') inQuote = !inQuote;
		else if (!inQuote && char === '(') depth++;
		else if (!inQuote && char === ')' && --depth < 0) return 'a ")" without its "("';
	}
	if (inQuote) return 'an unterminated `quoted` value';
	if (depth !== 0) return 'a "(" without its ")"';
	if (!/^\s*!?\s*\(*\s*[A-Z][A-Za-z]*\(/.test(rule))
		return 'it does not start with a matcher such as Host(`...`)';
	return undefined;
}

function checkRouter(name: string, router: unknown, services: Set<string>, errors: Errors): void {
	const where = `http.routers.${name}`;
	if (!isObject(router)) return void errors.push(`${where}: expected a mapping`);
	allowOnly(router, ROUTER_FIELDS, where, errors);
	if (typeof router.rule !== 'string' || router.rule.trim() === '') {
		errors.push(`${where}.rule: required (a string such as Host(\`app.lab.test\`))`);
	} else {
		const problem = ruleSyntaxError(router.rule);
		if (problem) errors.push(`${where}.rule: invalid rule ${JSON.stringify(router.rule)}: ${problem}`);
	}
	if (typeof router.service !== 'string' || router.service.trim() === '') {
		errors.push(`${where}.service: required (the name of a service)`);
	} else if (!router.service.includes('@') && !services.has(router.service)) {
		errors.push(`${where}.service: the service "${router.service}" is not defined in this file`);
	}
	if (router.entryPoints !== undefined) stringArray(router.entryPoints, `${where}.entryPoints`, errors);
	if (router.middlewares !== undefined) stringArray(router.middlewares, `${where}.middlewares`, errors);
	if (router.priority !== undefined && !Number.isInteger(router.priority)) {
		errors.push(`${where}.priority: expected an integer`);
	}
	if (router.tls !== undefined) {
		if (!isObject(router.tls)) return void errors.push(`${where}.tls: expected a mapping`);
		allowOnly(router.tls, ROUTER_TLS_FIELDS, `${where}.tls`, errors);
		for (const key of ['options', 'certResolver'] as const) {
			const value = router.tls[key];
			if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
				errors.push(`${where}.tls.${key}: expected a non-empty string`);
			}
		}
	}
}

function checkService(name: string, service: unknown, errors: Errors): void {
	const where = `http.services.${name}`;
	if (!isObject(service)) return void errors.push(`${where}: expected a mapping`);
	allowOnly(service, SERVICE_KINDS, where, errors);
	const kinds = Object.keys(service).filter((key) => SERVICE_KINDS.includes(key));
	if (kinds.length !== 1) {
		return void errors.push(`${where}: needs exactly one of ${SERVICE_KINDS.join(', ')}`);
	}
	const balancer = service.loadBalancer;
	if (balancer === undefined) return; // the other kinds are accepted by name
	if (!isObject(balancer)) return void errors.push(`${where}.loadBalancer: expected a mapping`);
	allowOnly(balancer, LOAD_BALANCER_FIELDS, `${where}.loadBalancer`, errors);
	const servers = balancer.servers;
	if (!Array.isArray(servers) || servers.length === 0) {
		return void errors.push(`${where}.loadBalancer.servers: needs at least one server`);
	}
	servers.forEach((server, index) => {
		const at = `${where}.loadBalancer.servers[${index}]`;
		if (!isObject(server)) return void errors.push(`${at}: expected a mapping`);
		allowOnly(server, SERVER_FIELDS, at, errors);
		let url: URL | undefined;
		try {
			url = typeof server.url === 'string' ? new URL(server.url) : undefined;
		} catch {
			url = undefined;
		}
		if (!url || !['http:', 'https:', 'h2c:'].includes(url.protocol) || !url.hostname) {
			errors.push(`${at}.url: expected an absolute http(s) URL, got ${JSON.stringify(server.url)}`);
		}
		if (server.weight !== undefined && !Number.isInteger(server.weight)) {
			errors.push(`${at}.weight: expected an integer`);
		}
	});
}

/** Every reason Traefik would refuse this dynamic configuration (empty when it is acceptable). */
export function validateTraefikDynamicConfig(document: unknown): string[] {
	const errors: Errors = [];
	if (document === null || document === undefined) return errors; // an empty file is valid
	if (!isObject(document)) return ['the document must be a mapping'];
	allowOnly(document, ['http', 'tcp', 'udp', 'tls'], '(top level)', errors);
	const httpSection = document.http;
	if (httpSection === undefined) return errors;
	if (!isObject(httpSection)) return [...errors, 'http: expected a mapping'];
	allowOnly(httpSection, ['routers', 'services', 'middlewares', 'serversTransports'], 'http', errors);
	const services = httpSection.services ?? {};
	const routers = httpSection.routers ?? {};
	if (!isObject(services)) errors.push('http.services: expected a mapping');
	if (!isObject(routers)) errors.push('http.routers: expected a mapping');
	if (!isObject(services) || !isObject(routers)) return errors;
	for (const [name, service] of Object.entries(services)) checkService(name, service, errors);
	const names = new Set(Object.keys(services));
	for (const [name, router] of Object.entries(routers)) checkRouter(name, router, names, errors);
	return errors;
}
