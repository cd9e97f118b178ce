export * from './client';
export * from './errors';
export * from './node-fetch';
export * from './schema';
