// Parameter validation as Proxmox VE's JSON schema does it (pve-common src/PVE/JSONSchema.pm), with the same
// messages: every API method declares its parameters, and anything not declared, missing, of the wrong type or
// out of range is a 400 "Parameter verification failed." whose body lists `errors` per parameter.

export type Check = (value: string) => string | undefined;

export interface ParamSpec {
	check: Check;
	optional?: boolean;
	/** JSON schema "requires": the parameter is only allowed together with this one. */
	requires?: string;
	/** For "name[n]" keys: n goes from 0 to maxIndex - 1 (e.g. qemu-server's $MAX_NETS = 32 for net/ipconfig). */
	maxIndex?: number;
}

export const optional = (check: Check, extra: Omit<ParamSpec, 'check'> = {}): ParamSpec => ({
	check,
	optional: true,
	...extra,
});
export const required = (check: Check): ParamSpec => ({ check });

export const integer =
	(min?: number, max?: number): Check =>
	(value) => {
		if (!/^-?\d+$/.test(value)) return `type check ('integer') failed - got '${value}'`;
		const number = Number(value);
		if (min !== undefined && number < min) return `value must have a minimum value of ${min}`;
		if (max !== undefined && number > max) return `value must have a maximum value of ${max}`;
		return undefined;
	};

/** pve-vmid: integer 100..999999999. */
export const vmid: Check = integer(100, 999999999);

export const boolean: Check = (value) =>
	/^(0|1|true|false|yes|no|on|off)$/i.test(value)
		? undefined
		: `type check ('boolean') failed - got '${value}'`;

export const string =
	(maxLength = 65535): Check =>
	(value) =>
		value.length > maxLength ? `value may only be ${maxLength} characters long` : undefined;

export const enumeration =
	(...values: string[]): Check =>
	(value) =>
		values.includes(value)
			? undefined
			: `value '${value}' does not have a value in the enumeration '${values.join(', ')}'`;

export const pattern =
	(regex: RegExp, message: string): Check =>
	(value) =>
		regex.test(value) ? undefined : message.replace('%s', value);

/** pve-node */
export const nodeName: Check = pattern(
	/^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])\.)*(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/,
	'value does not look like a valid node name',
);
/** pve-storage-id */
export const storageId: Check = pattern(
	/^[a-z][a-z0-9\-_.]*[a-z0-9]$/i,
	"storage ID '%s' contains illegal characters",
);
/** pve-configid (snapshot names) */
export const configId: Check = pattern(/^[a-z][a-z0-9_-]+$/i, "invalid configuration ID '%s'");
/** dns-name (VM names) */
export const dnsName: Check = pattern(
	/^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])\.)*(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/,
	"value '%s' does not look like a valid DNS name",
);
/** "urlencoded" (cloud-init sshkeys): pve_verify_urlencoded. */
export const urlencoded: Check = pattern(/^[-%a-zA-Z0-9_.!~*'()]*$/, 'invalid urlencoded string: %s');
/** pve-vmid-list (vzdump vmid) */
export const vmidList: Check = (value) =>
	value
		.split(/[,;\s]+/)
		.filter(Boolean)
		.every((id) => /^\d+$/.test(id) && Number(id) >= 100 && Number(id) <= 999999999)
		? undefined
		: `value '${value}' does not look like a valid VM ID list`;
// IPV4RE / IPV6RE of pve-common (PVE::ParseUtils) and its cidr checks (pve_verify_cidrv4: prefix 8..32).
const IPV4_OCTET = '(?:25[0-5]|(?:2[0-4]|1[0-9]|[1-9])?[0-9])';
const IPV4 = new RegExp(`^(?:${IPV4_OCTET}\\.){3}${IPV4_OCTET}$`);
const isIpv4 = (value: string) => IPV4.test(value);
const isIpv6 = (value: string) =>
	/^[0-9a-f:.]+$/i.test(value) &&
	value.includes(':') &&
	value.split('::').length <= 2 &&
	value
		.split(':')
		.filter(Boolean)
		.every((group) => /^[0-9a-f]{1,4}$/i.test(group) || isIpv4(group));
const cidr = (value: string, v6: boolean) => {
	const [address, prefix, extra] = value.split('/');
	if (extra !== undefined || !/^\d+$/.test(prefix ?? '')) return false;
	return v6
		? isIpv6(address) && Number(prefix) > 7 && Number(prefix) <= 128
		: isIpv4(address) && Number(prefix) > 7 && Number(prefix) <= 32;
};

/**
 * Cloud-init ipconfigN (qemu-server's pve-qm-ipconfig property string: ip=pve-ipv4-config, gw=ipv4 requires ip,
 * ip6=pve-ipv6-config, gw6=ipv6 requires ip6), as parse_property_string + check_object report it. Note that a
 * gateway with ip=dhcp passes the API (parse_ipconfig only warns when it builds the cloud-init drive).
 */
export const ipConfig: Check = (value) => {
	const fields: Record<string, string> = {};
	for (const part of value.split(',')) {
		if (/^\s*$/.test(part)) continue;
		const match = /^([^=]+)=(.+)$/.exec(part);
		if (!match) {
			return part.includes('=')
				? 'invalid format - missing key in comma-separated list property'
				: 'invalid format - value without key, but schema does not define a default key';
		}
		const [, key, val] = match;
		if (fields[key] !== undefined)
			return `invalid format - duplicate key in comma-separated list property: ${key}`;
		if (!['ip', 'gw', 'ip6', 'gw6'].includes(key))
			return `invalid format - invalid key in comma-separated list property: ${key}`;
		fields[key] = val;
	}
	const errors: string[] = [];
	if (fields.ip !== undefined && !/^(dhcp|manual)$/.test(fields.ip) && !cidr(fields.ip, false))
		errors.push('ip: invalid format - value does not look like a valid ipv4 network configuration');
	if (fields.gw !== undefined && !isIpv4(fields.gw))
		errors.push('gw: invalid format - value does not look like a valid IPv4 address');
	if (fields.ip6 !== undefined && !/^(auto|dhcp|manual)$/.test(fields.ip6) && !cidr(fields.ip6, true))
		errors.push('ip6: invalid format - value does not look like a valid ipv6 network configuration');
	if (fields.gw6 !== undefined && !isIpv6(fields.gw6))
		errors.push('gw6: invalid format - value does not look like a valid IPv6 address');
	if (fields.gw !== undefined && fields.ip === undefined)
		errors.push("ip: missing property required by 'gw'");
	if (fields.gw6 !== undefined && fields.ip6 === undefined)
		errors.push("ip6: missing property required by 'gw6'");
	return errors.length ? `invalid format - format error\n${errors.join('\n')}` : undefined;
};

/** address-list (cloud-init nameserver): split like PVE::Tools::split_list, each an IP or a DNS name. */
export const addressList: Check = (value) => {
	const dns =
		/^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])\.)*(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
	for (const entry of value.split(/[\0\s,;]+/).filter(Boolean)) {
		if (!isIpv4(entry) && !isIpv6(entry) && !dns.test(entry))
			return `invalid format - value does not look like a valid address: ${entry}`;
	}
	return undefined;
};

/** Validates `params` against `spec`; returns the per-parameter errors (empty when all is well). */
export function verify(
	params: Record<string, string>,
	spec: Record<string, ParamSpec>,
): Record<string, string> {
	const errors: Record<string, string> = {};
	for (const [name, value] of Object.entries(params)) {
		const entry =
			spec[name] ??
			Object.entries(spec).find(([key, candidate]) => {
				if (!key.endsWith('[n]')) return false;
				const match = new RegExp(`^${key.slice(0, -3)}(\\d+)$`).exec(name);
				return !!match && (candidate.maxIndex === undefined || Number(match[1]) < candidate.maxIndex);
			})?.[1];
		if (!entry) {
			errors[name] = 'property is not defined in schema and the schema does not allow additional properties';
			continue;
		}
		const problem = entry.check(value);
		if (problem) errors[name] = problem;
	}
	for (const [name, entry] of Object.entries(spec)) {
		if (!entry.optional && !name.endsWith('[n]') && params[name] === undefined) {
			errors[name] = 'property is missing and it is not optional';
		}
	}
	// check_object: a parameter with "requires" reports the missing one under that one's name.
	for (const [name, value] of Object.entries(params)) {
		const requires = spec[name]?.requires;
		if (value !== undefined && requires && params[requires] === undefined && !errors[requires]) {
			errors[requires] = `missing property required by '${name}'`;
		}
	}
	return errors;
}

export const isTrue = (value: string | undefined) => value !== undefined && /^(1|true|yes|on)$/i.test(value);
