export * from './types';
export { CaddyRouteProvider, caddyBaseConfig, parseUpstream, CADDY_ROUTE_ID_PREFIX } from './caddy';
export type { CaddyConnection, CaddyBaseConfigOptions, LabIssuer } from './caddy';
export { PowerDnsRecordProvider, POWERDNS_OWNER_ACCOUNT } from './powerdns';
export type { PowerDnsConnection } from './powerdns';
export { verify } from './verify';
export type { VerifyOptions, VerifyReport, VerifyCheck, CheckName } from './verify';
export { exposeService, unexposeService, waitForCertificate, failureSummary, ExposeError } from './expose';
export type {
	ExposeOptions,
	ExposeResult,
	ExposeStep,
	EdgeProgress,
	UnexposeOptions,
	UnexposeResult,
} from './expose';
