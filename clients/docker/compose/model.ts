import { isNode, LineCounter, parseDocument, type Document } from 'yaml';

import { ComposeError } from './errors';
import { parseDotEnv } from './dotenv';
import { interpolate } from './interpolate';

// A compose model on the engine API: the parts of the Compose Specification (https://compose-spec.io) that a
// homelab stack uses, parsed into plain objects that `stack.ts` turns into networks, volumes and containers.
// Keys this model does not implement are reported in `warnings` rather than silently dropped.

export interface ServiceVolume {
	type: 'volume' | 'bind' | 'tmpfs';
	/** volume key (top-level `volumes:`), absolute host path, or empty for an anonymous volume / tmpfs */
	source?: string;
	target: string;
	readOnly: boolean;
}

export interface ServiceNetwork {
	aliases: string[];
	ipv4Address?: string;
}

export interface ComposeHealthcheck {
	test: string[];
	intervalNs?: number;
	timeoutNs?: number;
	retries?: number;
	startPeriodNs?: number;
}

export interface ComposeService {
	name: string;
	image: string;
	containerName?: string;
	command?: string[];
	entrypoint?: string[];
	environment: Record<string, string>;
	/** short syntax, normalized: "[ip:]host:container/proto" or "container/proto" */
	ports: string[];
	expose: string[];
	volumes: ServiceVolume[];
	/** network key -> settings; empty when networkMode is set */
	networks: Record<string, ServiceNetwork>;
	networkMode?: string;
	labels: Record<string, string>;
	restart?: string;
	dependsOn: string[];
	workingDir?: string;
	user?: string;
	hostname?: string;
	tty: boolean;
	stdinOpen: boolean;
	privileged: boolean;
	init?: boolean;
	capAdd: string[];
	capDrop: string[];
	extraHosts: string[];
	dns: string[];
	devices: string[];
	stopSignal?: string;
	stopGracePeriodSeconds?: number;
	healthcheck?: ComposeHealthcheck | { disable: true };
	replicas: number;
	pullPolicy?: 'always' | 'missing' | 'never' | 'if_not_present' | 'build';
	memLimitBytes?: number;
	cpus?: number;
}

export interface ComposeNetwork {
	key: string;
	/** the engine-side name: `name:` or `<project>_<key>` */
	name: string;
	external: boolean;
	driver?: string;
	internal: boolean;
	attachable: boolean;
	labels: Record<string, string>;
	subnet?: string;
}

export interface ComposeVolume {
	key: string;
	name: string;
	external: boolean;
	driver?: string;
	driverOpts: Record<string, string>;
	labels: Record<string, string>;
}

export interface ComposeProject {
	name: string;
	services: ComposeService[];
	networks: ComposeNetwork[];
	volumes: ComposeVolume[];
	warnings: string[];
}

export interface ParseOptions {
	/** project name; else the file's top-level `name:` */
	projectName?: string;
	/** variables for interpolation (the stack's env) */
	variables?: Record<string, string>;
	/** directory relative bind-mount paths resolve against; relative paths are refused without it */
	workingDir?: string;
	/** label for messages, e.g. the file path */
	source?: string;
	/** reads an env_file (absolute path); without it env_file: is refused */
	readFile?: (absolutePath: string) => string;
}

const SERVICE_KEYS = new Set([
	'image',
	'container_name',
	'command',
	'entrypoint',
	'environment',
	'env_file',
	'ports',
	'expose',
	'volumes',
	'networks',
	'network_mode',
	'labels',
	'restart',
	'depends_on',
	'working_dir',
	'user',
	'hostname',
	'tty',
	'stdin_open',
	'privileged',
	'init',
	'cap_add',
	'cap_drop',
	'extra_hosts',
	'dns',
	'devices',
	'stop_signal',
	'stop_grace_period',
	'healthcheck',
	'deploy',
	'pull_policy',
	'mem_limit',
	'cpus',
	'scale',
	'build',
]);

export const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

type Path = Array<string | number>;

class Reader {
	readonly warnings: string[] = [];
	constructor(
		readonly doc: Document,
		readonly counter: LineCounter,
		readonly variables: Record<string, string>,
		readonly source: string,
	) {}

	position(path: Path): { line?: number; column?: number } {
		const node = this.doc.getIn(path, true);
		if (isNode(node) && node.range) {
			const { line, col } = this.counter.linePos(node.range[0]);
			return { line, column: col };
		}
		return {};
	}

	fail(path: Path, message: string, hint: string): never {
		const { line, column } = this.position(path);
		const at = line ? ` (line ${line}, column ${column})` : '';
		throw new ComposeError(`${this.source}: ${path.join('.')} ${message}${at}`, hint, line, column);
	}

	str(path: Path, value: unknown): string {
		if (typeof value === 'string')
			return interpolate(value, this.variables, `${this.source} ${path.join('.')}`);
		if (typeof value === 'number' || typeof value === 'boolean') return String(value);
		this.fail(path, 'must be a string', 'Quote the value');
	}

	optStr(path: Path, value: unknown): string | undefined {
		return value === undefined || value === null ? undefined : this.str(path, value);
	}

	bool(path: Path, value: unknown): boolean {
		if (value === undefined || value === null) return false;
		if (typeof value === 'boolean') return value;
		const text = this.str(path, value).toLowerCase();
		if (['true', 'yes', '1'].includes(text)) return true;
		if (['false', 'no', '0', ''].includes(text)) return false;
		this.fail(path, 'must be true or false', 'Write true or false');
	}

	list(path: Path, value: unknown): string[] {
		if (value === undefined || value === null) return [];
		if (!Array.isArray(value)) this.fail(path, 'must be a list', 'Write it as a YAML list ("- item" lines)');
		return value.map((entry, index) => this.str([...path, index], entry));
	}

	/** A list of KEY=VALUE strings or a mapping, as `environment:` and `labels:` allow. */
	dict(path: Path, value: unknown, fromVariablesWhenBare = false): Record<string, string> {
		if (value === undefined || value === null) return {};
		const result: Record<string, string> = {};
		if (Array.isArray(value)) {
			value.forEach((entry, index) => {
				const text = this.str([...path, index], entry);
				const eq = text.indexOf('=');
				if (eq < 0) {
					const inherited = fromVariablesWhenBare ? this.variables[text] : '';
					if (inherited !== undefined) result[text] = inherited;
				} else result[text.slice(0, eq)] = text.slice(eq + 1);
			});
			return result;
		}
		if (typeof value !== 'object')
			this.fail(path, 'must be a mapping or a list of KEY=VALUE', 'Write KEY: value lines');
		for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
			if (entry === null || entry === undefined) {
				const inherited = fromVariablesWhenBare ? this.variables[key] : '';
				if (inherited !== undefined) result[key] = inherited;
			} else result[key] = this.str([...path, key], entry);
		}
		return result;
	}

	mapping(path: Path, value: unknown): Record<string, unknown> {
		if (value === undefined || value === null) return {};
		if (typeof value !== 'object' || Array.isArray(value))
			this.fail(path, 'must be a mapping', 'Write key: value lines under it');
		return value as Record<string, unknown>;
	}

	/** A command: a list is argv as is; a string is split like a POSIX shell would (no shell runs it). */
	command(path: Path, value: unknown): string[] | undefined {
		if (value === undefined || value === null) return undefined;
		if (Array.isArray(value)) return this.list(path, value);
		return shellSplit(this.str(path, value), () =>
			this.fail(path, 'has an unclosed quote', 'Close the quote or use the list form'),
		);
	}
}

/** Splits a command line into argv the way shlex does (quotes and backslashes), without running a shell. */
export function shellSplit(
	text: string,
	onError: () => never = () => {
		throw new Error(`unclosed quote in ${text}`);
	},
): string[] {
	const args: string[] = [];
	let current = '';
	let started = false;
	let quote: '"' | "'" | undefined;
	for (let index = 0; index < text.length; index++) {
		const char = text[index];
		if (quote) {
			if (char === quote) quote = undefined;
			else if (char === '\\' && quote === '"' && index + 1 < text.length && '"\\$`'.includes(text[index + 1]))
				current += text[++index];
			else current += char;
		} else if (char === '"' || char === "'") {
			quote = char;
			started = true;
		} else if (char === '\\' && index + 1 < text.length) {
			current += text[++index];
			started = true;
		} else if (/\s/.test(char)) {
			if (started) args.push(current);
			current = '';
			started = false;
		} else {
			current += char;
			started = true;
		}
	}
	if (quote) onError();
	if (started) args.push(current);
	return args;
}

const DURATION_UNITS: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Compose durations ("1m30s", "10s", "500ms") in nanoseconds. */
export function parseDuration(text: string): number | undefined {
	const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)/g)];
	if (!parts.length || parts.map((part) => part[0]).join('') !== text.replace(/\s/g, '')) return undefined;
	return Math.round(parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * DURATION_UNITS[unit], 0));
}

/** "512m", "1g", "1024" (bytes). */
export function parseBytes(text: string): number | undefined {
	const match = /^(\d+(?:\.\d+)?)\s*([bkmg]?)b?$/i.exec(text.trim());
	if (!match) return undefined;
	const factor = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[match[2].toLowerCase()] ?? 1;
	return Math.round(Number(match[1]) * factor);
}

function parsePortEntry(reader: Reader, path: Path, entry: unknown): string[] {
	if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
		const long = entry as Record<string, unknown>;
		const target = reader.str([...path, 'target'], long.target);
		const protocol = reader.optStr([...path, 'protocol'], long.protocol) ?? 'tcp';
		const published = reader.optStr([...path, 'published'], long.published);
		const hostIp = reader.optStr([...path, 'host_ip'], long.host_ip);
		return [
			`${hostIp ? `${hostIp}:` : ''}${published ? `${published}:` : hostIp ? ':' : ''}${target}/${protocol}`,
		];
	}
	const text = reader.str(path, entry);
	if (!/^(?:(?:\[[^\]]+\]|[\d.]+):)?(?:\d*(?:-\d+)?:)?\d+(?:-\d+)?(?:\/(?:tcp|udp|sctp))?$/.test(text))
		reader.fail(
			path,
			`"${text}" is not a port mapping`,
			'Write ports as "8080:80", "127.0.0.1:8080:80" or "53:53/udp"',
		);
	return [text.includes('/') ? text : `${text}/tcp`];
}

function parseVolumeEntry(
	reader: Reader,
	path: Path,
	entry: unknown,
	declared: Set<string>,
	workingDir?: string,
): ServiceVolume {
	const resolveBind = (source: string): string => {
		if (source.startsWith('/')) return source;
		if (source.startsWith('~'))
			reader.fail(
				path,
				`uses "${source}"; the home directory of the Docker host is not known here`,
				'Use an absolute path',
			);
		if (!workingDir)
			reader.fail(
				path,
				`uses the relative path "${source}", which needs a working directory`,
				'Use an absolute host path, or set the stack’s Working Directory (a compose file read from a path uses its folder)',
			);
		return `${workingDir.replace(/\/+$/, '')}/${source.replace(/^\.\//, '')}`.replace(/\/\.$/, '');
	};
	if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
		const long = entry as Record<string, unknown>;
		const type = reader.optStr([...path, 'type'], long.type) ?? 'volume';
		if (!['volume', 'bind', 'tmpfs'].includes(type))
			reader.fail([...path, 'type'], `"${type}" is not supported`, 'Use volume, bind or tmpfs');
		const target = reader.str([...path, 'target'], long.target);
		const rawSource = reader.optStr([...path, 'source'], long.source);
		if (type === 'volume' && rawSource && !declared.has(rawSource))
			reader.fail(
				path,
				`refers to volume "${rawSource}", which is not declared under the top-level volumes:`,
				`Add "${rawSource}:" under volumes: at the top of the file`,
			);
		return {
			type: type as ServiceVolume['type'],
			source: type === 'bind' && rawSource ? resolveBind(rawSource) : rawSource,
			target,
			readOnly: reader.bool([...path, 'read_only'], long.read_only),
		};
	}
	const text = reader.str(path, entry);
	const parts = text.split(':');
	if (parts.length === 1) {
		if (!parts[0].startsWith('/'))
			reader.fail(path, `"${text}" has no container path`, 'Write source:/container/path');
		return { type: 'volume', target: parts[0], readOnly: false };
	}
	if (parts.length > 3 || !parts[1].startsWith('/'))
		reader.fail(
			path,
			`"${text}" is not a volume mapping`,
			'Write name:/path, ./dir:/path or /host/path:/path[:ro]',
		);
	const [source, target, mode = 'rw'] = parts;
	const readOnly = mode.split(',').includes('ro');
	if (/^[./~]/.test(source)) return { type: 'bind', source: resolveBind(source), target, readOnly };
	if (!declared.has(source))
		reader.fail(
			path,
			`refers to volume "${source}", which is not declared under the top-level volumes:`,
			`Add "${source}:" under volumes: at the top of the file, or write ./${source} for a folder`,
		);
	return { type: 'volume', source, target, readOnly };
}

function parseHealthcheck(reader: Reader, path: Path, value: unknown): ComposeService['healthcheck'] {
	if (value === undefined || value === null) return undefined;
	const hc = reader.mapping(path, value);
	if (reader.bool([...path, 'disable'], hc.disable)) return { disable: true };
	let test: string[];
	if (Array.isArray(hc.test)) test = reader.list([...path, 'test'], hc.test);
	else if (hc.test !== undefined) test = ['CMD-SHELL', reader.str([...path, 'test'], hc.test)];
	else reader.fail(path, 'has no test', 'Add test: ["CMD", "wget", "-q", "http://localhost"]');
	const duration = (key: string) => {
		const text = reader.optStr([...path, key], hc[key]);
		if (text === undefined) return undefined;
		const ns = parseDuration(text);
		if (ns === undefined)
			reader.fail([...path, key], `"${text}" is not a duration`, 'Write durations like 30s, 1m30s or 500ms');
		return ns;
	};
	const retries = reader.optStr([...path, 'retries'], hc.retries);
	return {
		test,
		intervalNs: duration('interval'),
		timeoutNs: duration('timeout'),
		startPeriodNs: duration('start_period'),
		retries: retries === undefined ? undefined : Number(retries),
	};
}

/**
 * Parses compose YAML into a ComposeProject. Throws ComposeError with the line and column of the problem for
 * invalid YAML and for values the model cannot use.
 */
export function parseCompose(yamlText: string, options: ParseOptions = {}): ComposeProject {
	const source = options.source ?? 'compose file';
	const counter = new LineCounter();
	const doc = parseDocument(yamlText, { lineCounter: counter, uniqueKeys: true, merge: true });
	if (doc.errors.length) {
		const error = doc.errors[0];
		const pos = error.linePos?.[0];
		const at = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
		throw new ComposeError(
			`Invalid compose YAML${at}: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
			'Fix the YAML syntax (indentation with spaces, "key: value", lists with "- ")',
			pos?.line,
			pos?.col,
		);
	}
	const variables = options.variables ?? {};
	const reader: Reader = new Reader(doc, counter, variables, source);
	const root = doc.toJS({ maxAliasCount: 100 }) as unknown;
	if (!root || typeof root !== 'object' || Array.isArray(root))
		throw new ComposeError(
			`${source} is not a compose file: the top level must be a mapping with services:`,
			'Start with "services:"',
		);
	const top = root as Record<string, unknown>;

	const name = options.projectName?.trim() || reader.optStr(['name'], top.name)?.trim();
	if (!name)
		throw new ComposeError(
			'The stack has no name',
			'Set the Stack Name, or name: at the top of the compose file',
		);
	if (!PROJECT_NAME.test(name))
		throw new ComposeError(
			`"${name}" is not a valid stack name`,
			'Use lowercase letters, digits, "-" and "_", starting with a letter or digit',
		);

	for (const key of Object.keys(top))
		if (
			!['version', 'name', 'services', 'networks', 'volumes', 'secrets', 'configs'].includes(key) &&
			!key.startsWith('x-')
		)
			reader.fail(
				[key],
				'is not a compose top-level key',
				'Top-level keys are name, services, networks, volumes',
			);
	for (const key of ['secrets', 'configs'])
		if (top[key] !== undefined) reader.warnings.push(`top-level ${key}: is not supported and was ignored`);

	const networksJs = reader.mapping(['networks'], top.networks);
	const networks: ComposeNetwork[] = Object.entries(networksJs).map(([key, value]) => {
		const path = ['networks', key];
		const net = reader.mapping(path, value);
		const external =
			typeof net.external === 'object' && net.external !== null
				? true
				: reader.bool([...path, 'external'], net.external);
		const ipam = reader.mapping([...path, 'ipam'], net.ipam);
		const ipamConfig = Array.isArray(ipam.config) ? (ipam.config as Array<Record<string, unknown>>) : [];
		return {
			key,
			name: reader.optStr([...path, 'name'], net.name) ?? (external ? key : `${name}_${key}`),
			external,
			driver: reader.optStr([...path, 'driver'], net.driver),
			internal: reader.bool([...path, 'internal'], net.internal),
			attachable: reader.bool([...path, 'attachable'], net.attachable),
			labels: reader.dict([...path, 'labels'], net.labels),
			subnet:
				ipamConfig[0]?.subnet === undefined
					? undefined
					: reader.str([...path, 'ipam', 'config', 0, 'subnet'], ipamConfig[0].subnet),
		};
	});
	const volumesJs = reader.mapping(['volumes'], top.volumes);
	const volumes: ComposeVolume[] = Object.entries(volumesJs).map(([key, value]) => {
		const path = ['volumes', key];
		const vol = reader.mapping(path, value);
		const external =
			typeof vol.external === 'object' && vol.external !== null
				? true
				: reader.bool([...path, 'external'], vol.external);
		return {
			key,
			name: reader.optStr([...path, 'name'], vol.name) ?? (external ? key : `${name}_${key}`),
			external,
			driver: reader.optStr([...path, 'driver'], vol.driver),
			driverOpts: reader.dict([...path, 'driver_opts'], vol.driver_opts),
			labels: reader.dict([...path, 'labels'], vol.labels),
		};
	});
	const declaredVolumes = new Set(volumes.map((volume) => volume.key));
	const declaredNetworks = new Set(networks.map((network) => network.key));

	const servicesJs = reader.mapping(['services'], top.services);
	if (!Object.keys(servicesJs).length)
		reader.fail(['services'], 'is empty', 'Add at least one service with an image');
	const services: ComposeService[] = [];
	let usesDefault = false;
	for (const [serviceName, value] of Object.entries(servicesJs)) {
		const path = ['services', serviceName];
		if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(serviceName))
			reader.fail(path, 'is not a valid service name', 'Use letters, digits, ".", "-" and "_"');
		const svc = reader.mapping(path, value);
		for (const key of Object.keys(svc)) {
			if (!SERVICE_KEYS.has(key) && !key.startsWith('x-'))
				reader.warnings.push(`services.${serviceName}.${key} is not supported and was ignored`);
		}
		const image = reader.optStr([...path, 'image'], svc.image);
		if (!image) {
			if (svc.build !== undefined)
				reader.fail(
					path,
					'uses build:, which this engine-API compose model does not run',
					'Build and push the image first (or build it on the host), then set image: to its name',
				);
			reader.fail(path, 'has no image', 'Add image: with the image to run, e.g. image: nginx:1.27');
		}
		if (svc.build !== undefined)
			reader.warnings.push(`services.${serviceName}.build was ignored: the image "${image}" is used as is`);

		let environment: Record<string, string> = {};
		if (svc.env_file !== undefined) {
			const files = Array.isArray(svc.env_file)
				? reader.list([...path, 'env_file'], svc.env_file)
				: [reader.str([...path, 'env_file'], svc.env_file)];
			for (const file of files) {
				if (!options.readFile || (!file.startsWith('/') && !options.workingDir))
					reader.fail(
						[...path, 'env_file'],
						`needs the file "${file}", which cannot be read here`,
						'Read the compose file from a path (its folder holds the env files), or move the variables into environment:',
					);
				const absolute = file.startsWith('/')
					? file
					: `${options.workingDir!.replace(/\/+$/, '')}/${file.replace(/^\.\//, '')}`;
				const readFile = options.readFile;
				let text = '';
				try {
					text = readFile(absolute);
				} catch (error) {
					reader.fail(
						[...path, 'env_file'],
						`"${absolute}" cannot be read: ${(error as Error).message}`,
						'Check the path and that n8n may read it',
					);
				}
				environment = { ...environment, ...parseDotEnv(text) };
			}
		}
		environment = { ...environment, ...reader.dict([...path, 'environment'], svc.environment, true) };

		const networkMode = reader.optStr([...path, 'network_mode'], svc.network_mode);
		const serviceNetworks: Record<string, ServiceNetwork> = {};
		if (svc.networks !== undefined) {
			if (networkMode)
				reader.fail([...path, 'networks'], 'cannot be combined with network_mode', 'Remove one of them');
			const entries: Array<[string, unknown]> = Array.isArray(svc.networks)
				? (svc.networks as unknown[]).map((entry, index) => [
						reader.str([...path, 'networks', index], entry),
						null,
					])
				: Object.entries(reader.mapping([...path, 'networks'], svc.networks));
			for (const [key, settings] of entries) {
				if (key !== 'default' && !declaredNetworks.has(key))
					reader.fail(
						[...path, 'networks'],
						`refers to network "${key}", which is not declared under the top-level networks:`,
						`Add "${key}:" under networks: at the top of the file`,
					);
				const net = reader.mapping([...path, 'networks', key], settings);
				serviceNetworks[key] = {
					aliases: reader.list([...path, 'networks', key, 'aliases'], net.aliases),
					ipv4Address: reader.optStr([...path, 'networks', key, 'ipv4_address'], net.ipv4_address),
				};
				if (key === 'default') usesDefault = true;
			}
		} else if (!networkMode) {
			serviceNetworks.default = { aliases: [] };
			usesDefault = true;
		}

		const dependsOn = Array.isArray(svc.depends_on)
			? reader.list([...path, 'depends_on'], svc.depends_on)
			: Object.keys(reader.mapping([...path, 'depends_on'], svc.depends_on));
		const deploy = reader.mapping([...path, 'deploy'], svc.deploy);
		const replicasText =
			reader.optStr([...path, 'deploy', 'replicas'], deploy.replicas) ??
			reader.optStr([...path, 'scale'], svc.scale);
		const replicas = replicasText === undefined ? 1 : Number(replicasText);
		if (!Number.isInteger(replicas) || replicas < 0)
			reader.fail([...path, 'deploy', 'replicas'], 'must be a whole number', 'Write replicas: 1');
		const restart = reader.optStr([...path, 'restart'], svc.restart);
		if (restart && !/^(no|always|unless-stopped|on-failure(:\d+)?)$/.test(restart))
			reader.fail(
				[...path, 'restart'],
				`"${restart}" is not a restart policy`,
				'Use no, always, unless-stopped or on-failure',
			);
		const pullPolicy = reader.optStr([...path, 'pull_policy'], svc.pull_policy);
		if (pullPolicy && !['always', 'missing', 'never', 'if_not_present', 'build'].includes(pullPolicy))
			reader.fail(
				[...path, 'pull_policy'],
				`"${pullPolicy}" is not a pull policy`,
				'Use always, missing or never',
			);
		const grace = reader.optStr([...path, 'stop_grace_period'], svc.stop_grace_period);
		const graceNs = grace === undefined ? undefined : parseDuration(grace);
		if (grace !== undefined && graceNs === undefined)
			reader.fail(
				[...path, 'stop_grace_period'],
				`"${grace}" is not a duration`,
				'Write durations like 10s or 1m',
			);
		const memLimit = reader.optStr([...path, 'mem_limit'], svc.mem_limit);
		const memLimitBytes = memLimit === undefined ? undefined : parseBytes(memLimit);
		if (memLimit !== undefined && memLimitBytes === undefined)
			reader.fail([...path, 'mem_limit'], `"${memLimit}" is not a size`, 'Write sizes like 512m or 1g');
		const cpus = reader.optStr([...path, 'cpus'], svc.cpus);

		services.push({
			name: serviceName,
			image,
			containerName: reader.optStr([...path, 'container_name'], svc.container_name),
			command: reader.command([...path, 'command'], svc.command),
			entrypoint: reader.command([...path, 'entrypoint'], svc.entrypoint),
			environment,
			ports: Array.isArray(svc.ports)
				? (svc.ports as unknown[]).flatMap((entry, index) =>
						parsePortEntry(reader, [...path, 'ports', index], entry),
					)
				: reader.list([...path, 'ports'], svc.ports),
			expose: reader.list([...path, 'expose'], svc.expose),
			volumes: Array.isArray(svc.volumes)
				? (svc.volumes as unknown[]).map((entry, index) =>
						parseVolumeEntry(reader, [...path, 'volumes', index], entry, declaredVolumes, options.workingDir),
					)
				: (reader.list([...path, 'volumes'], svc.volumes), []),
			networks: serviceNetworks,
			networkMode,
			labels: reader.dict([...path, 'labels'], svc.labels),
			restart,
			dependsOn,
			workingDir: reader.optStr([...path, 'working_dir'], svc.working_dir),
			user: reader.optStr([...path, 'user'], svc.user),
			hostname: reader.optStr([...path, 'hostname'], svc.hostname),
			tty: reader.bool([...path, 'tty'], svc.tty),
			stdinOpen: reader.bool([...path, 'stdin_open'], svc.stdin_open),
			privileged: reader.bool([...path, 'privileged'], svc.privileged),
			init: svc.init === undefined ? undefined : reader.bool([...path, 'init'], svc.init),
			capAdd: reader.list([...path, 'cap_add'], svc.cap_add),
			capDrop: reader.list([...path, 'cap_drop'], svc.cap_drop),
			extraHosts: Array.isArray(svc.extra_hosts)
				? reader.list([...path, 'extra_hosts'], svc.extra_hosts)
				: Object.entries(reader.dict([...path, 'extra_hosts'], svc.extra_hosts)).map(
						([host, ip]) => `${host}:${ip}`,
					),
			dns: Array.isArray(svc.dns)
				? reader.list([...path, 'dns'], svc.dns)
				: svc.dns === undefined
					? []
					: [reader.str([...path, 'dns'], svc.dns)],
			devices: reader.list([...path, 'devices'], svc.devices),
			stopSignal: reader.optStr([...path, 'stop_signal'], svc.stop_signal),
			stopGracePeriodSeconds: graceNs === undefined ? undefined : Math.ceil(graceNs / 1e9),
			healthcheck: parseHealthcheck(reader, [...path, 'healthcheck'], svc.healthcheck),
			replicas,
			pullPolicy: pullPolicy as ComposeService['pullPolicy'],
			memLimitBytes,
			cpus: cpus === undefined ? undefined : Number(cpus),
		});
	}
	const names = new Set(services.map((service) => service.name));
	for (const service of services)
		for (const dependency of service.dependsOn)
			if (!names.has(dependency))
				reader.fail(
					['services', service.name, 'depends_on'],
					`refers to service "${dependency}", which is not in this file`,
					'Fix the service name',
				);
	if (usesDefault && !declaredNetworks.has('default'))
		networks.push({
			key: 'default',
			name: `${name}_default`,
			external: false,
			internal: false,
			attachable: false,
			labels: {},
		});
	return { name, services: orderByDependencies(services), networks, volumes, warnings: reader.warnings };
}

/** Services in start order (dependencies first); a dependency cycle is an error naming the services. */
export function orderByDependencies(services: ComposeService[]): ComposeService[] {
	const byName = new Map(services.map((service) => [service.name, service]));
	const ordered: ComposeService[] = [];
	const state = new Map<string, 'visiting' | 'done'>();
	const visit = (service: ComposeService, trail: string[]) => {
		if (state.get(service.name) === 'done') return;
		if (state.get(service.name) === 'visiting')
			throw new ComposeError(
				`depends_on forms a cycle: ${[...trail, service.name].join(' -> ')}`,
				'Remove one of the dependencies',
			);
		state.set(service.name, 'visiting');
		for (const dependency of service.dependsOn) {
			const next = byName.get(dependency);
			if (next) visit(next, [...trail, service.name]);
		}
		state.set(service.name, 'done');
		ordered.push(service);
	};
	for (const service of services) visit(service, []);
	return ordered;
}
