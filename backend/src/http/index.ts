/** The HTTP API: server and hooks in server.ts, one module per route area in routes/. */
export { createServer, type ApiOptions } from './server';
export { openApi, VERSION } from './openapi';
export { jobView } from './views';
export { REDACT_PATHS } from './logging';
