export * from './client';
export * from './errors';
export * from './transport';
export * from './types';
export * from './validation';
