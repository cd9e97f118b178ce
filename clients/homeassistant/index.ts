export * from './errors';
export * from './rest';
export * from './socket';
export * from './types';
export * from './url';
