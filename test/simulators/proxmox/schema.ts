// Parameter validation as Proxmox VE's JSON schema does it (pve-common src/PVE/JSONSchema.pm), with the same
// messages: every API method declares its parameters, and anything not declared, missing, of the wrong type or
// out of range is a 400 "Parameter verification failed." whose body lists `errors` per parameter.

export type Check = (value: string) => string | undefined;

export interface ParamSpec {
	check: Check;
	optional?: boolean;
}

export const optional = (check: Check): ParamSpec => ({ check, optional: true });
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
/** Cloud-init ipconfigN (pve-qm-ipconfig). */
export const ipConfig: Check = (value) =>
	value
		.split(',')
		.every((part) =>
			/^(ip=(dhcp|[\d.]+\/\d+)|gw=[\d.]+|ip6=(dhcp|auto|[0-9a-f:]+\/\d+)|gw6=[0-9a-f:]+)$/i.test(part),
		)
		? undefined
		: `invalid format - format error\nip: invalid format - value does not look like a valid CIDR network`;

/** Validates `params` against `spec`; returns the per-parameter errors (empty when all is well). */
export function verify(
	params: Record<string, string>,
	spec: Record<string, ParamSpec>,
): Record<string, string> {
	const errors: Record<string, string> = {};
	for (const [name, value] of Object.entries(params)) {
		const entry =
			spec[name] ??
			Object.entries(spec).find(
				([key]) => key.endsWith('[n]') && new RegExp(`^${key.slice(0, -3)}\\d+$`).test(name),
			)?.[1];
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
	return errors;
}

export const isTrue = (value: string | undefined) => value !== undefined && /^(1|true|yes|on)$/i.test(value);
